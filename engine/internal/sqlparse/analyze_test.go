package sqlparse

import (
	"errors"
	"testing"
)

func TestAnalyze(t *testing.T) {
	tests := []struct {
		name string
		sql  string
		want Info // Insert is checked separately
	}{
		{"select", "SELECT * FROM t WHERE id = ?", Info{Kind: KindRead, Verb: "SELECT", Parsed: true}},
		{"select trailing semicolons and comments", "  -- hi\nSELECT 1; ; /* bye */ ;", Info{Kind: KindRead, Verb: "SELECT", Parsed: true}},
		{"values", "VALUES (1, 2), (3, 4)", Info{Kind: KindRead, Verb: "VALUES", Parsed: true}},
		{"with select", "WITH x AS (SELECT 1) SELECT * FROM x", Info{Kind: KindRead, Verb: "SELECT", Parsed: true}},
		{"explain read", "EXPLAIN QUERY PLAN SELECT * FROM t", Info{Kind: KindRead, Verb: "EXPLAIN", Explain: true, Parsed: true}},
		{"explain write reads", "EXPLAIN DELETE FROM t", Info{Kind: KindRead, Verb: "EXPLAIN", Explain: true, Parsed: true}},
		{"insert", "INSERT INTO t(a) VALUES (1)", Info{Kind: KindWrite, Verb: "INSERT", Table: "t", Parsed: true}},
		{"insert quoted table", `INSERT INTO "my ""t""" VALUES (1)`, Info{Kind: KindWrite, Verb: "INSERT", Table: `my "t"`, Parsed: true}},
		{"insert or replace", "INSERT OR REPLACE INTO t VALUES (1)", Info{Kind: KindWrite, Verb: "INSERT", Table: "t", Parsed: true}},
		{"replace", "REPLACE INTO t VALUES (1)", Info{Kind: KindWrite, Verb: "REPLACE", Table: "t", Parsed: true}},
		{"upsert returning", "INSERT INTO t(id, a) VALUES (1, 2) ON CONFLICT(id) DO UPDATE SET a = excluded.a RETURNING id",
			Info{Kind: KindWrite, Verb: "INSERT", Table: "t", Returning: true, Parsed: true}},
		{"with insert", "WITH x AS (SELECT 1 AS a) INSERT INTO t(a) SELECT a FROM x", Info{Kind: KindWrite, Verb: "INSERT", Table: "t", Parsed: true}},
		{"insert into schema", "INSERT INTO main.t(a) VALUES (1)", Info{Kind: KindWrite, Verb: "INSERT", Table: "t", Schema: "main", Parsed: true}},
		{"update", "UPDATE t SET a = 1 WHERE id = 2", Info{Kind: KindWrite, Verb: "UPDATE", Table: "t", Parsed: true}},
		{"update returning", "UPDATE t SET a = 1 RETURNING *", Info{Kind: KindWrite, Verb: "UPDATE", Table: "t", Returning: true, Parsed: true}},
		{"delete", "DELETE FROM t WHERE id = 1", Info{Kind: KindWrite, Verb: "DELETE", Table: "t", Parsed: true}},
		{"create table", "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, a TEXT)", Info{Kind: KindDDL, Verb: "CREATE TABLE", Table: "t", Object: "t", Parsed: true}},
		{"create temp table", "CREATE TEMP TABLE t (a)", Info{Kind: KindDDL, Verb: "CREATE TABLE", Table: "t", Object: "t", Temp: true}},
		{"create table in temp", "CREATE TABLE temp.t (a)", Info{Kind: KindDDL, Verb: "CREATE TABLE", Table: "t", Object: "t", Schema: "temp", Temp: true, Parsed: true}},
		{"create virtual table", "CREATE VIRTUAL TABLE f USING fts5(body)", Info{Kind: KindDDL, Verb: "CREATE VIRTUAL TABLE", Table: "f", Object: "f", Parsed: true}},
		{"create index", "CREATE UNIQUE INDEX i ON t(a)", Info{Kind: KindDDL, Verb: "CREATE INDEX", Table: "t", Object: "i", Parsed: true}},
		{"create view", "CREATE VIEW v AS SELECT * FROM t", Info{Kind: KindDDL, Verb: "CREATE VIEW", Object: "v", Parsed: true}},
		{"create trigger", "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE u SET n = n + 1; END",
			Info{Kind: KindDDL, Verb: "CREATE TRIGGER", Table: "t", Object: "tr", Parsed: true}},
		{"drop table", "DROP TABLE IF EXISTS t", Info{Kind: KindDDL, Verb: "DROP TABLE", Table: "t", Object: "t", Parsed: true}},
		{"drop index", "DROP INDEX i", Info{Kind: KindDDL, Verb: "DROP INDEX", Object: "i", Parsed: true}},
		{"drop view", "DROP VIEW v", Info{Kind: KindDDL, Verb: "DROP VIEW", Object: "v", Parsed: true}},
		{"drop trigger", "DROP TRIGGER tr", Info{Kind: KindDDL, Verb: "DROP TRIGGER", Object: "tr", Parsed: true}},
		{"alter table", "ALTER TABLE t ADD COLUMN b TEXT", Info{Kind: KindDDL, Verb: "ALTER TABLE", Table: "t", Object: "t", Parsed: true}},
		{"begin", "BEGIN IMMEDIATE", Info{Kind: KindTx, Verb: "BEGIN", Parsed: true}},
		{"commit", "COMMIT", Info{Kind: KindTx, Verb: "COMMIT", Parsed: true}},
		{"end", "END TRANSACTION", Info{Kind: KindTx, Verb: "COMMIT", Parsed: true}},
		{"rollback", "ROLLBACK", Info{Kind: KindTx, Verb: "ROLLBACK", Parsed: true}},
		{"rollback to", "ROLLBACK TO SAVEPOINT sp", Info{Kind: KindTx, Verb: "ROLLBACK TO", Object: "sp", Parsed: true}},
		{"savepoint", "SAVEPOINT sp", Info{Kind: KindTx, Verb: "SAVEPOINT", Object: "sp", Parsed: true}},
		{"release", "RELEASE SAVEPOINT sp", Info{Kind: KindTx, Verb: "RELEASE", Object: "sp", Parsed: true}},
		{"pragma", "PRAGMA foreign_keys = 1", Info{Kind: KindPragma, Verb: "PRAGMA", Object: "foreign_keys", Parsed: true}},
		{"pragma schema", "PRAGMA main.table_info(t)", Info{Kind: KindPragma, Verb: "PRAGMA", Schema: "main", Object: "table_info", Parsed: true}},
		{"analyze", "ANALYZE", Info{Kind: KindOther, Verb: "ANALYZE", Parsed: true}},
		{"reindex", "REINDEX t", Info{Kind: KindOther, Verb: "REINDEX", Parsed: true}},

		// rqlite/sql cannot parse these; they are classified from their keywords.
		{"update schema", "UPDATE main.t SET a = 1 RETURNING *", Info{Kind: KindWrite, Verb: "UPDATE", Table: "t", Schema: "main", Returning: true}},
		{"pragma on", "PRAGMA foreign_keys = ON", Info{Kind: KindPragma, Verb: "PRAGMA", Object: "foreign_keys"}},
		{"attach", "ATTACH DATABASE 'x.db' AS x", Info{Kind: KindOther, Verb: "ATTACH"}},
		{"detach", "DETACH x", Info{Kind: KindOther, Verb: "DETACH"}},
		{"vacuum", "VACUUM INTO '/tmp/snap.db'", Info{Kind: KindOther, Verb: "VACUUM"}},
		{"bracket identifiers", "SELECT [a b] FROM [t]", Info{Kind: KindRead, Verb: "SELECT"}},
		{"backtick insert", "INSERT INTO `t`(a) VALUES (1) RETURNING a", Info{Kind: KindWrite, Verb: "INSERT", Table: "t", Returning: true}},
		{"insert with select cte", "INSERT INTO t(a) WITH x AS (SELECT 1) SELECT * FROM x", Info{Kind: KindWrite, Verb: "INSERT", Table: "t"}},
		{"with recursive update", "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n < 3) UPDATE OR IGNORE [t] SET a = 1 WHERE id IN c",
			Info{Kind: KindWrite, Verb: "UPDATE", Table: "t"}},
		{"delete schema unparsed", "DELETE FROM \"main\".[t] WHERE a = 'x;y'", Info{Kind: KindWrite, Verb: "DELETE", Table: "t", Schema: "main"}},
		{"create temp trigger", "CREATE TEMP TRIGGER IF NOT EXISTS tr BEFORE DELETE ON t BEGIN SELECT RAISE(ABORT, 'no'); END",
			Info{Kind: KindDDL, Verb: "CREATE TRIGGER", Table: "t", Object: "tr", Temp: true}},
		{"create index if not exists unparsed", "CREATE INDEX IF NOT EXISTS main.[i] ON t(a)", Info{Kind: KindDDL, Verb: "CREATE INDEX", Table: "t", Object: "i", Schema: "main"}},
		{"create table unicode", "CREATE TABLE café (prix)", Info{Kind: KindDDL, Verb: "CREATE TABLE", Table: "café", Object: "café"}},
		{"drop table schema", "DROP TABLE IF EXISTS temp.t", Info{Kind: KindDDL, Verb: "DROP TABLE", Table: "t", Object: "t", Schema: "temp", Temp: true}},
		{"begin deferred transaction", "begin deferred transaction", Info{Kind: KindTx, Verb: "BEGIN", Parsed: true}},
		{"rollback transaction to", "ROLLBACK TRANSACTION TO [sp]", Info{Kind: KindTx, Verb: "ROLLBACK TO", Object: "sp"}},
		{"pragma unparsed", "PRAGMA [main].user_version = 3", Info{Kind: KindPragma, Verb: "PRAGMA", Schema: "main", Object: "user_version"}},
		{"explain unparsed", "EXPLAIN SELECT [a] FROM t", Info{Kind: KindRead, Verb: "EXPLAIN", Explain: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Analyze(tt.sql)
			if err != nil {
				t.Fatalf("Analyze(%q): %v", tt.sql, err)
			}
			got.Insert = nil
			if got != tt.want {
				t.Errorf("Analyze(%q)\n got %+v\nwant %+v", tt.sql, got, tt.want)
			}
		})
	}
}

// TestAnalyze_LexicalAgrees checks that the keyword classifier, used when
// rqlite/sql fails, agrees with the parser on statements both understand.
func TestAnalyze_LexicalAgrees(t *testing.T) {
	for _, sql := range []string{
		"SELECT 1", "VALUES (1)", "WITH x AS (SELECT 1) SELECT * FROM x", "EXPLAIN SELECT 1",
		"INSERT INTO t VALUES (1) RETURNING *", "REPLACE INTO t VALUES (1)", "INSERT OR IGNORE INTO t VALUES (1)",
		"WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x", "UPDATE OR REPLACE t SET a = 1",
		"DELETE FROM t RETURNING id", "CREATE TABLE IF NOT EXISTS main.t (a)", "CREATE VIRTUAL TABLE f USING fts5(a)",
		"CREATE UNIQUE INDEX IF NOT EXISTS i ON t(a)", "CREATE VIEW v AS SELECT 1", "DROP VIEW IF EXISTS v",
		"CREATE TRIGGER tr AFTER UPDATE OF a, b ON t BEGIN SELECT 1; END", "DROP TABLE t", "DROP INDEX i",
		"DROP TRIGGER tr", "ALTER TABLE t RENAME TO u", "BEGIN", "END", "COMMIT TRANSACTION", "ROLLBACK",
		"ROLLBACK TO sp", "SAVEPOINT sp", "RELEASE sp", "PRAGMA user_version", "PRAGMA main.user_version = 2",
		"ANALYZE", "REINDEX",
	} {
		parsed, err := Analyze(sql)
		if err != nil || !parsed.Parsed {
			t.Fatalf("Analyze(%q) = %+v, %v; want a parsed statement", sql, parsed, err)
		}
		toks, err := lex(sql)
		if err != nil {
			t.Fatal(err)
		}
		lexed, err := infoFromTokens(sql, toks)
		if err != nil {
			t.Fatalf("infoFromTokens(%q): %v", sql, err)
		}
		parsed.Parsed, parsed.Insert = false, nil
		if lexed != parsed {
			t.Errorf("%q\n lexical %+v\n  parsed %+v", sql, lexed, parsed)
		}
	}
}

func TestAnalyze_Errors(t *testing.T) {
	tests := []struct {
		name string
		sql  string
		want error
	}{
		{"empty", "", ErrEmpty},
		{"only comments", " -- nothing\n/* here */ ;;", ErrEmpty},
		{"two statements", "SELECT 1; SELECT 2", ErrMultiple},
		{"unterminated string", "SELECT 'abc", ErrSyntax},
		{"unterminated identifier", `SELECT "abc`, ErrSyntax},
		{"unknown keyword", "FROBNICATE t", ErrSyntax},
		{"unknown create", "CREATE SEQUENCE s", ErrSyntax},
		{"with without statement", "WITH x AS (SELECT 1)", ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Analyze(tt.sql)
			if !errors.Is(err, tt.want) {
				t.Errorf("Analyze(%q) error = %v, want %v", tt.sql, err, tt.want)
			}
		})
	}
}

func TestAnalyze_Insert(t *testing.T) {
	tests := []struct {
		sql     string
		columns []string
		rows    int
	}{
		{"INSERT INTO t(a, \"B\") VALUES (1, 2), (3, 4)", []string{"a", "B"}, 2},
		{"INSERT INTO t VALUES (1)", nil, 1},
		{"INSERT INTO t DEFAULT VALUES", nil, 1},
		{"INSERT INTO t(a) SELECT x FROM s", []string{"a"}, UnknownRows},
	}
	for _, tt := range tests {
		info, err := Analyze(tt.sql)
		if err != nil {
			t.Fatalf("Analyze(%q): %v", tt.sql, err)
		}
		if info.Insert == nil {
			t.Fatalf("Analyze(%q).Insert = nil", tt.sql)
		}
		if !equalStrings(info.Insert.Columns, tt.columns) || info.Insert.Rows != tt.rows {
			t.Errorf("Analyze(%q).Insert = %+v, want columns %q rows %d", tt.sql, *info.Insert, tt.columns, tt.rows)
		}
	}
	if info, _ := Analyze("UPDATE t SET a = 1"); info.Insert != nil {
		t.Errorf("UPDATE has Insert %+v", *info.Insert)
	}
}

func TestKind_String(t *testing.T) {
	want := map[Kind]string{KindUnknown: "unknown", KindRead: "read", KindWrite: "write", KindDDL: "ddl",
		KindTx: "tx", KindPragma: "pragma", KindOther: "other", Kind(200): "unknown"}
	for k, s := range want {
		if k.String() != s {
			t.Errorf("Kind(%d).String() = %q, want %q", k, k.String(), s)
		}
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) || (a == nil) != (b == nil) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
