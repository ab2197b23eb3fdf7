package mysqlwire

import (
	"errors"
	"strings"
	"testing"

	"github.com/warren-db/warren/engine"
)

func newTestTranslator(t testing.TB) *Translator {
	t.Helper()
	tr, err := NewTranslator(DefaultTranslatorConfig())
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// TestTranslator_Translate checks the SQLite text of the rewrites clients
// depend on.
func TestTranslator_Translate(t *testing.T) {
	tests := []struct {
		name, mysql, sqlite string
	}{
		{"backticks and db qualifier", "SELECT `a`.`b` FROM `test`.`t` AS `a`", `SELECT "a"."b" FROM "t" AS "a"`},
		{"limit offset", "SELECT a FROM t LIMIT 5, 10", `SELECT "a" FROM "t" LIMIT 10 OFFSET 5`},
		{"string escapes", `SELECT 'it\'s', 'a\\b', 'x\_y'`, `SELECT 'it''s' AS "it's", 'a\b' AS "a\b", 'x\_y' AS "x\_y"`},
		{"nul byte", `SELECT 'a\0b'`, `SELECT ('a' || char(0) || 'b') AS "ab"`},
		{"like escape", "SELECT a FROM t WHERE a LIKE 'x\\_%'", `SELECT "a" FROM "t" WHERE "a" LIKE 'x\_%' ESCAPE '\'`},
		{"null-safe equal", "SELECT a <=> b FROM t", `SELECT "a" IS "b" AS "a <=> b" FROM "t"`},
		{"concat", "SELECT CONCAT(a, 'x', b) FROM t", `SELECT ("a" || 'x' || "b") AS "CONCAT(a, 'x', b)" FROM "t"`},
		{"if ifnull", "SELECT IF(a, 1, 2), IFNULL(a, 0) FROM t", `SELECT CASE WHEN "a" THEN 1 ELSE 2 END AS "IF(a, 1, 2)", ifnull("a", 0) AS "IFNULL(a, 0)" FROM "t"`},
		{"division", "SELECT a / b, a DIV b FROM t", `SELECT CAST("a" AS REAL) / "b" AS "a / b", CAST("a" / "b" AS INTEGER) AS "a DIV b" FROM "t"`},
		{"for update dropped", "SELECT a FROM t WHERE id = 1 FOR UPDATE", `SELECT "a" FROM "t" WHERE "id" = 1`},
		{"insert ignore", "INSERT IGNORE INTO t (a) VALUES (1)", `INSERT OR IGNORE INTO "t" ("a") VALUES (1)`},
		{"replace", "REPLACE INTO t (a) VALUES (1), (2)", `REPLACE INTO "t" ("a") VALUES (1), (2)`},
		{"insert set", "INSERT INTO t SET a = 1, b = 'x'", `INSERT INTO "t" ("a", "b") VALUES (1, 'x')`},
		{"insert default", "INSERT INTO t (a, b) VALUES (1, DEFAULT)", `INSERT INTO "t" ("a") VALUES (1)`},
		{"insert all default", "INSERT INTO t () VALUES ()", `INSERT INTO "t" DEFAULT VALUES`},
		{"upsert", "INSERT INTO t (k, v) VALUES ('a', 1) ON DUPLICATE KEY UPDATE v = VALUES(v) + t.v",
			`INSERT INTO "t" ("k", "v") VALUES ('a', 1) ON CONFLICT DO UPDATE SET "v" = excluded."v" + "t"."v"`},
		{"upsert row alias", "INSERT INTO t (k, v) VALUES ('a', 1) AS n ON DUPLICATE KEY UPDATE v = n.v",
			`INSERT INTO "t" ("k", "v") VALUES ('a', 1) ON CONFLICT DO UPDATE SET "v" = excluded."v"`},
		{"upsert select", "INSERT INTO t (k) SELECT k FROM u ON DUPLICATE KEY UPDATE k = VALUES(k)",
			`INSERT INTO "t" ("k") SELECT "k" FROM "u" WHERE 1 ON CONFLICT DO UPDATE SET "k" = excluded."k"`},
		{"update changed rows", "UPDATE t SET a = 1 WHERE id = 2",
			`UPDATE "t" SET "a" = 1 WHERE ("id" = 2) AND ("t"."a" IS NOT 1 COLLATE BINARY)`},
		{"update order limit", "UPDATE t SET a = 1 WHERE b = 2 ORDER BY c DESC LIMIT 5",
			`UPDATE "t" SET "a" = 1 WHERE rowid IN (SELECT "t".rowid FROM "t" WHERE "b" = 2 ORDER BY "c" DESC LIMIT 5) AND ("t"."a" IS NOT 1 COLLATE BINARY)`},
		{"update join", "UPDATE a JOIN b ON a.id = b.id SET a.x = b.y WHERE b.z = 1",
			`UPDATE "a" SET "x" = "b"."y" FROM "b" WHERE ("a"."id" = "b"."id") AND ("b"."z" = 1) AND ("a"."x" IS NOT "b"."y" COLLATE BINARY)`},
		{"update left join", "UPDATE a LEFT JOIN b ON a.id = b.id SET a.x = 0 WHERE b.id IS NULL",
			`UPDATE "a" SET "x" = 0 WHERE rowid IN (SELECT "a".rowid FROM "a" LEFT JOIN "b" ON "a"."id" = "b"."id" WHERE "b"."id" IS NULL) AND ("a"."x" IS NOT 0 COLLATE BINARY)`},
		{"delete order limit", "DELETE FROM t WHERE a = 1 ORDER BY b LIMIT 10",
			`DELETE FROM "t" WHERE rowid IN (SELECT "t".rowid FROM "t" WHERE "a" = 1 ORDER BY "b" LIMIT 10)`},
		{"delete join", "DELETE a FROM a JOIN b ON a.id = b.id WHERE b.x = 1",
			`DELETE FROM "a" WHERE rowid IN (SELECT "a".rowid FROM "a" JOIN "b" ON "a"."id" = "b"."id" WHERE "b"."x" = 1)`},
		{"truncate", "TRUNCATE TABLE t", `DELETE FROM "t"`},
		{"group concat", "SELECT GROUP_CONCAT(a ORDER BY b SEPARATOR '; ') FROM t",
			`SELECT group_concat("a", '; ' ORDER BY "b") AS "GROUP_CONCAT(a ORDER BY b SEPARATOR '; ')" FROM "t"`},
		{"greatest", "SELECT GREATEST(a, b), LEAST(a, 1) FROM t", `SELECT max("a", "b") AS "GREATEST(a, b)", min("a", 1) AS "LEAST(a, 1)" FROM "t"`},
		{"cast", "SELECT CAST(a AS SIGNED), CAST(a AS CHAR) FROM t",
			`SELECT CAST("a" AS INTEGER) AS "CAST(a AS SIGNED)", CAST("a" AS TEXT) AS "CAST(a AS CHAR)" FROM "t"`},
		{"binary operator", "SELECT a FROM t WHERE BINARY a = 'X'", `SELECT "a" FROM "t" WHERE ("a" COLLATE BINARY) = 'X'`},
		{"date add day", "SELECT DATE_ADD(d, INTERVAL 1 DAY) FROM t",
			`SELECT CASE WHEN length("d") = 10 THEN date("d", '1 days') ELSE datetime("d", '1 days') END AS "DATE_ADD(d, INTERVAL 1 DAY)" FROM "t"`},
		{"now", "SELECT NOW(), CURDATE(), UNIX_TIMESTAMP()",
			`SELECT strftime('%Y-%m-%d %H:%M:%S', 'now') AS "NOW()", date('now') AS "CURDATE()", unixepoch('now') AS "UNIX_TIMESTAMP()"`},
		{"date format", "SELECT DATE_FORMAT(d, '%Y-%m-%d') FROM t", `SELECT strftime('%Y-%m-%d', "d") AS "DATE_FORMAT(d, '%Y-%m-%d')" FROM "t"`},
		{"count distinct", "SELECT COUNT(DISTINCT a) FROM t", `SELECT count(DISTINCT "a") AS "COUNT(DISTINCT a)" FROM "t"`},
		{"rand", "SELECT a FROM t ORDER BY RAND()", `SELECT "a" FROM "t" ORDER BY ((random() & 9007199254740991) / 9007199254740992.0)`},
		{"dual", "SELECT 1 FROM DUAL", `SELECT 1 AS "1"`},
		{"hex and bit literals", "SELECT x'4142', 0x0A, b'101'", `SELECT x'4142' AS "x'4142'", x'0A' AS "0x0A", 5 AS "b'101'"`},
		{"index hints dropped", "SELECT a FROM t FORCE INDEX (i) WHERE a = 1", `SELECT "a" FROM "t" WHERE "a" = 1`},
	}
	tr := newTestTranslator(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := tr.Translate(tt.mysql, SessionInfo{Database: "test"})
			if err != nil {
				t.Fatalf("Translate(%q): %v", tt.mysql, err)
			}
			if p.SQL != tt.sqlite {
				t.Errorf("Translate(%q)\n got %s\nwant %s", tt.mysql, p.SQL, tt.sqlite)
			}
		})
	}
}

// TestTranslator_DDL checks how MySQL column definitions are stored.
func TestTranslator_DDL(t *testing.T) {
	tr := newTestTranslator(t)
	p, err := tr.Translate("CREATE TABLE IF NOT EXISTS `t` (id bigint(20) unsigned NOT NULL AUTO_INCREMENT, "+
		"name varchar(191) NOT NULL, code varchar(10) COLLATE utf8mb4_bin, bin varbinary(16), doc json, "+
		"created datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, n int DEFAULT '5', PRIMARY KEY (id), "+
		"UNIQUE KEY name (name(100)), KEY code (code, created DESC)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 AUTO_INCREMENT=10",
		SessionInfo{Database: "test"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`CREATE TABLE IF NOT EXISTS "t" (/*mysql*/ "id" INTEGER /*bigint(20) unsigned*/ PRIMARY KEY, ` +
			`"name" varchar(191) NOT NULL DEFAULT ('' /*implicit*/) COLLATE NOCASE, "code" 'varchar(10) /*bin*/', ` +
			`"bin" 'varbinary(16) /*blob*/', "doc" 'json /*text*/', "created" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, ` +
			`"n" int DEFAULT '5')`,
		`CREATE UNIQUE INDEX IF NOT EXISTS "t.name" ON "t" ("name" /*100*/)`,
		`CREATE INDEX IF NOT EXISTS "t.code" ON "t" ("code", "created" DESC)`,
	}
	if p.Kind != PlanDDL || strings.Join(p.Statements, "\n") != strings.Join(want, "\n") {
		t.Errorf("got %s\n%s\nwant\n%s", p.Kind, strings.Join(p.Statements, "\n"), strings.Join(want, "\n"))
	}
	p, err = tr.Translate("ALTER TABLE t DROP COLUMN n, ADD COLUMN e int UNIQUE, DROP INDEX code", SessionInfo{Database: "test"})
	want = []string{`ALTER TABLE "t" DROP COLUMN "n"`, `ALTER TABLE "t" ADD COLUMN "e" int`,
		`CREATE UNIQUE INDEX "t.e" ON "t" ("e")`, `DROP INDEX "t.code"`}
	if err != nil || strings.Join(p.Statements, "\n") != strings.Join(want, "\n") {
		t.Errorf("ALTER: %v\n%s\nwant\n%s", err, strings.Join(p.Statements, "\n"), strings.Join(want, "\n"))
	}
}

// TestTranslator_Params checks placeholder numbering and counts.
func TestTranslator_Params(t *testing.T) {
	tests := []struct {
		mysql, sqlite string
		params        int
		found         string
		foundParams   int
	}{
		{"SELECT a FROM t WHERE b = ? AND c = ?", `SELECT "a" FROM "t" WHERE ("b" = ?) AND ("c" = ?)`, 2, "", 0},
		{"INSERT INTO t (a, b) VALUES (?, ?), (?, ?)", `INSERT INTO "t" ("a", "b") VALUES (?, ?), (?, ?)`, 4, "", 0},
		{"SELECT a FROM t LIMIT ?, ?", `SELECT "a" FROM "t" LIMIT ?, ?`, 2, "", 0},
		{"UPDATE t SET a = ? WHERE b = ?", `UPDATE "t" SET "a" = :p1 WHERE ("b" = :p2) AND ("t"."a" IS NOT :p1 COLLATE BINARY)`, 2, "", 0},
		{"SELECT LOCATE(?, ?)", `SELECT instr(?2, ?1) AS "LOCATE(?, ?)"`, 2, "", 0},
		{"INSERT INTO t (d) VALUES (RIGHT(?, 2)), (?)", `INSERT INTO "t" ("d") VALUES (substr(:p1, max(length(:p1) - 2 + 1, 1))), (:p2)`, 2, "", 0},
		{"SELECT SQL_CALC_FOUND_ROWS a FROM t WHERE b = ? ORDER BY FIELD(a, ?, ?) LIMIT ?",
			`SELECT "a" FROM "t" WHERE "b" = ? ORDER BY CASE "a" WHEN ? THEN 1 WHEN ? THEN 2 ELSE 0 END LIMIT ?`, 4,
			`SELECT count(*) FROM (SELECT "a" FROM "t" WHERE "b" = ?)`, 1},
	}
	tr := newTestTranslator(t)
	for _, tt := range tests {
		p, err := tr.Translate(tt.mysql, SessionInfo{Database: "test"})
		if err != nil {
			t.Fatalf("Translate(%q): %v", tt.mysql, err)
		}
		if p.SQL != tt.sqlite || p.Params != tt.params || p.FoundRowsSQL != tt.found || p.FoundRowsParams != tt.foundParams {
			t.Errorf("Translate(%q)\n got %s (%d params) / %s (%d)\nwant %s (%d params) / %s (%d)", tt.mysql,
				p.SQL, p.Params, p.FoundRowsSQL, p.FoundRowsParams, tt.sqlite, tt.params, tt.found, tt.foundParams)
		}
	}
}

// TestTranslator_Params_Run binds parameters through a real engine.
func TestTranslator_Params_Run(t *testing.T) {
	r := newPlanRunner(t)
	r.mustRun("CREATE TABLE t (id int AUTO_INCREMENT PRIMARY KEY, a varchar(10), b int)")
	r.mustRun("INSERT INTO t (a, b) VALUES (?, ?), (?, ?)", "x", int64(1), "y", int64(2))
	if res := r.mustRun("UPDATE t SET b = ? WHERE a = ?", int64(5), "x"); res.affected != 1 {
		t.Errorf("UPDATE affected %d, want 1", res.affected)
	}
	res := r.mustRun("SELECT a, b FROM t ORDER BY id LIMIT ?, ?", int64(0), int64(1))
	if len(res.rows) != 1 || res.rows[0][0] != "x" || res.rows[0][1] != int64(5) {
		t.Errorf("rows %v", res.rows)
	}
	// Repeated placeholders next to the ids the engine adds to the INSERT.
	r.mustRun("INSERT INTO t (a, b) VALUES (RIGHT(?, 2), ?), (RIGHT(?, 2), ?)", "abcd", int64(7), "wxyz", int64(8))
	res = r.mustRun("SELECT id, a, b FROM t WHERE b > 6 ORDER BY id")
	if formatRow(res.rows[0])+"/"+formatRow(res.rows[1]) != "3 | cd | 7/4 | yz | 8" {
		t.Errorf("rows %v", res.rows)
	}
	r.mustRun("SET @v = ?", "hello")
	if got := r.sess.UserVars["v"]; got != "hello" {
		t.Errorf("@v = %v", got)
	}
}

// TestTranslator_Errors checks MySQL error numbers for what Warren refuses.
func TestTranslator_Errors(t *testing.T) {
	tests := []struct {
		sql   string
		code  uint16
		state string
	}{
		{"SELEKT 1", 1064, "42000"},
		{"SELECT 1; SELECT 2", 1064, "42000"},
		{"", 1065, "42000"},
		{"SELECT :name", 1064, "42000"},
		{"SELECT * FROM t", 1046, "3D000"},
		{"SELECT MD5('x')", 1235, "42000"},
		{"SELECT @@nope", 1193, "HY000"},
		{"SET sql_mode = 'ANSI_QUOTES'", 1235, "42000"},
		{"SET autocommit = 7", 1231, "42000"},
		{"SAVEPOINT a", 1235, "42000"},
		{"CREATE TABLE t (a int, b timestamp ON UPDATE CURRENT_TIMESTAMP)", 1235, "42000"},
		{"CREATE DATABASE `a b`", 1102, "42000"},
		{"SELECT * FROM information_schema.nope", 1109, "42S02"},
		{"SELECT TABLE_NAME FROM information_schema.TABLES", 1046, "3D000"},
		{"SELECT CONCAT()", 1582, "42000"},
	}
	tr := newTestTranslator(t)
	for _, tt := range tests {
		_, err := tr.Translate(tt.sql, SessionInfo{})
		var e *Error
		if !errors.As(err, &e) || e.Code != tt.code || e.SQLState != tt.state {
			t.Errorf("Translate(%q) = %v, want error %d (%s)", tt.sql, err, tt.code, tt.state)
		}
	}
}

// TestTranslator_SessionValues checks that cached plans still show each
// session its own values.
func TestTranslator_SessionValues(t *testing.T) {
	tr := newTestTranslator(t)
	q := "SELECT LAST_INSERT_ID(), FOUND_ROWS(), ROW_COUNT(), CONNECTION_ID(), CURRENT_USER(), @u, @@sql_mode, @@global.sql_mode"
	for _, s := range []SessionInfo{
		{LastInsertID: 7, FoundRows: 3, RowCount: -1, ConnectionID: 9, User: "a@h", UserVars: map[string]engine.Value{"u": "it's"},
			Vars: map[string]engine.Value{"sql_mode": ""}},
		{LastInsertID: 8, FoundRows: 4, RowCount: 2, ConnectionID: 10, User: "b@h"},
	} {
		p, err := tr.Translate(q, s)
		if err != nil {
			t.Fatal(err)
		}
		want := "SELECT " + itoa(int(s.LastInsertID)) + ` AS "LAST_INSERT_ID()", ` + itoa(int(s.FoundRows)) + ` AS "FOUND_ROWS()", ` +
			itoa(int(s.RowCount)) + ` AS "ROW_COUNT()", ` + itoa(int(s.ConnectionID)) + ` AS "CONNECTION_ID()", ` +
			sqlString(s.User) + ` AS "CURRENT_USER()", `
		if s.UserVars != nil {
			want += `'it''s' AS "@u", '' AS "@@sql_mode", `
		} else {
			want += `NULL AS "@u", '` + defaultSQLMode + `' AS "@@sql_mode", `
		}
		want += `'` + defaultSQLMode + `' AS "@@global.sql_mode"`
		if p.SQL != want {
			t.Errorf("got  %s\nwant %s", p.SQL, want)
		}
	}
	if n := tr.cache.len(); n != 1 {
		t.Errorf("cache holds %d plans, want 1", n)
	}
}

// TestTranslator_Cache checks the key and the bound of the cache.
func TestTranslator_Cache(t *testing.T) {
	cfg := DefaultTranslatorConfig()
	cfg.CacheSize = 2
	tr, err := NewTranslator(cfg)
	if err != nil {
		t.Fatal(err)
	}
	p1, _ := tr.Translate("SHOW TABLES", SessionInfo{Database: "a"})
	p2, _ := tr.Translate("SHOW TABLES", SessionInfo{Database: "b"})
	if p1.SQL == p2.SQL || !strings.Contains(p2.SQL, `"Tables_in_b"`) {
		t.Errorf("the current database is not part of the key:\n%s\n%s", p1.SQL, p2.SQL)
	}
	tr.Translate("SELECT 1", SessionInfo{})
	if n := tr.cache.len(); n != 2 {
		t.Errorf("cache holds %d plans, want its size 2", n)
	}
	u1, _ := tr.Translate("UPDATE t SET a = 1", SessionInfo{Database: "a"})
	u2, _ := tr.Translate("UPDATE t SET a = 1", SessionInfo{Database: "a", ClientFoundRows: true})
	if u1.SQL == u2.SQL || strings.Contains(u2.SQL, "IS NOT") {
		t.Errorf("CLIENT_FOUND_ROWS is not part of the key:\n%s\n%s", u1.SQL, u2.SQL)
	}
	_, err1 := tr.Translate("SELEKT", SessionInfo{})
	_, err2 := tr.Translate("SELEKT", SessionInfo{})
	if err1 == nil || err1 != err2 {
		t.Errorf("errors are not cached: %v, %v", err1, err2)
	}
}

func TestTranslator_SplitStatements(t *testing.T) {
	tr := newTestTranslator(t)
	got, err := tr.SplitStatements("SELECT 'a;b'; /* c; */ SELECT 2;; INSERT INTO t VALUES (\"x;\");\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"SELECT 'a;b'", " /* c; */ SELECT 2", " INSERT INTO t VALUES (\"x;\")"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestTranslator_CheckSetting(t *testing.T) {
	tr := newTestTranslator(t)
	tests := []struct {
		st   Setting
		in   engine.Value
		want engine.Value
		code uint16
	}{
		{Setting{Kind: SettingSystem, Name: "autocommit"}, "ON", int64(1), 0},
		{Setting{Kind: SettingSystem, Name: "autocommit"}, int64(0), int64(0), 0},
		{Setting{Kind: SettingSystem, Name: "sql_mode"}, "strict_trans_tables, no_zero_date", "STRICT_TRANS_TABLES,NO_ZERO_DATE", 0},
		{Setting{Kind: SettingSystem, Name: "sql_mode"}, "PIPES_AS_CONCAT", nil, 1235},
		{Setting{Kind: SettingSystem, Name: "warren_consistency"}, "all", "ALL", 0},
		{Setting{Kind: SettingSystem, Name: "wait_timeout"}, "60", int64(60), 0},
		{Setting{Kind: SettingSystem, Name: "wait_timeout"}, "soon", nil, 1232},
		{Setting{Kind: SettingSystem, Name: "version"}, "1", nil, 1238},
		{Setting{Kind: SettingSystem, Name: "nope"}, "1", nil, 1193},
		{Setting{Kind: SettingSystem, Name: "sql_mode", Default: true}, nil, defaultSQLMode, 0},
		{Setting{Kind: SettingNames, Name: "names"}, "UTF8MB4", "utf8mb4", 0},
		{Setting{Kind: SettingNames, Name: "names"}, "latin1", nil, 1235},
		{Setting{Kind: SettingUser, Name: "x"}, []byte("raw"), []byte("raw"), 0},
	}
	for _, tt := range tests {
		got, err := tr.CheckSetting(tt.st, tt.in)
		var e *Error
		switch {
		case tt.code != 0 && (!errors.As(err, &e) || e.Code != tt.code):
			t.Errorf("CheckSetting(%s, %v) = %v, want error %d", tt.st.Name, tt.in, err, tt.code)
		case tt.code == 0 && (err != nil || valueText(got) != valueText(tt.want)):
			t.Errorf("CheckSetting(%s, %v) = %v, %v, want %v", tt.st.Name, tt.in, got, err, tt.want)
		}
	}
}

func TestTranslator_Variables(t *testing.T) {
	cfg := DefaultTranslatorConfig()
	cfg.Variables = map[string]engine.Value{"Auto_Increment_Increment": int64(32), "port": int64(3307)}
	tr, err := NewTranslator(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := SessionInfo{Vars: map[string]engine.Value{"wait_timeout": int64(5)}}
	for name, want := range map[string]engine.Value{"auto_increment_increment": int64(32), "PORT": int64(3307),
		"wait_timeout": int64(5), "version": "8.0.36-warren"} {
		if got, ok := tr.SystemVariable(name, s); !ok || got != want {
			t.Errorf("SystemVariable(%s) = %v, %v; want %v", name, got, ok, want)
		}
	}
	if _, ok := tr.SystemVariable("nope", s); ok {
		t.Error("SystemVariable(nope) found a value")
	}
}

func TestPlanKind(t *testing.T) {
	if PlanDDL.String() != "ddl" || PlanKill.String() != "kill" || PlanKind(99).String() != "unknown" {
		t.Error("PlanKind.String")
	}
	if !PlanDDL.ImplicitCommit() || PlanRead.ImplicitCommit() {
		t.Error("PlanKind.ImplicitCommit")
	}
}
