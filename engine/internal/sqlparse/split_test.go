package sqlparse

import (
	"reflect"
	"strings"
	"testing"
)

func TestLex(t *testing.T) {
	src := "SELECT 'a;''b', \"c;\"\"d\", `e;f`, [g;h], x'0A', ?, ?12, :n, @m, $v, 1.5e-3, .5 -- c;\n/* d; */ FROM t;"
	toks, err := lex(src)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tok := range toks {
		got = append(got, tok.text(src))
	}
	want := []string{"SELECT", "'a;''b'", ",", `"c;""d"`, ",", "`e;f`", ",", "[g;h]", ",", "x", "'0A'", ",",
		"?", ",", "?12", ",", ":n", ",", "@m", ",", "$v", ",", "1.5e-3", ",", ".5", "FROM", "t", ";"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("lex tokens\n got %q\nwant %q", got, want)
	}
}

func TestLex_Unterminated(t *testing.T) {
	for _, src := range []string{"SELECT 'a", `SELECT "a`, "SELECT `a", "SELECT [a"} {
		if _, err := lex(src); err == nil || !strings.Contains(err.Error(), "unterminated") {
			t.Errorf("lex(%q) error = %v, want unterminated", src, err)
		}
	}
	// SQLite accepts a block comment left open at the end.
	if toks, err := lex("SELECT 1 /* open"); err != nil || len(toks) != 2 {
		t.Errorf("lex(open comment) = %d tokens, %v; want 2, nil", len(toks), err)
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		name string
		sql  string
		want []string
	}{
		{"one", "SELECT 1", []string{"SELECT 1"}},
		{"two with semicolons", "SELECT 1; SELECT 2;", []string{"SELECT 1", "SELECT 2"}},
		{"empty statements", ";; SELECT 1 ;;; SELECT 2 ;", []string{"SELECT 1", "SELECT 2"}},
		{"nothing", " -- only\n /* comments */ ", []string{}},
		{"semicolons in literals", `INSERT INTO t VALUES ('a;b', "c;d", [e;f], ` + "`g;h`" + `); SELECT ';'`,
			[]string{`INSERT INTO t VALUES ('a;b', "c;d", [e;f], ` + "`g;h`" + `)`, "SELECT ';'"}},
		{"semicolons in comments", "SELECT 1 -- a;b\n; /* c;d */ SELECT 2", []string{"SELECT 1", "SELECT 2"}},
		{"inner comments kept", "SELECT /* x; */ 1", []string{"SELECT /* x; */ 1"}},
		{"trigger", "CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES (1); UPDATE c SET n = n + 1; END; SELECT 1",
			[]string{"CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES (1); UPDATE c SET n = n + 1; END", "SELECT 1"}},
		{"trigger with case end", "create temp trigger tr before update on t begin select case when new.a < 0 then raise(abort, 'neg') end; end;select 2",
			[]string{"create temp trigger tr before update on t begin select case when new.a < 0 then raise(abort, 'neg') end; end", "select 2"}},
		{"trigger without final semicolon", "CREATE TEMPORARY TRIGGER tr AFTER DELETE ON t BEGIN DELETE FROM u; END",
			[]string{"CREATE TEMPORARY TRIGGER tr AFTER DELETE ON t BEGIN DELETE FROM u; END"}},
		{"explain trigger", "EXPLAIN CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END; SELECT 2",
			[]string{"EXPLAIN CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END", "SELECT 2"}},
		{"unparseable statements", "ATTACH 'a.db' AS a; SELECT [x] FROM a.t; DETACH a",
			[]string{"ATTACH 'a.db' AS a", "SELECT [x] FROM a.t", "DETACH a"}},
		{"begin end are not triggers", "BEGIN; INSERT INTO t VALUES (1); END; SELECT 1",
			[]string{"BEGIN", "INSERT INTO t VALUES (1)", "END", "SELECT 1"}},
		{"unicode", "SELECT 'é;ü'; SELECT café FROM t", []string{"SELECT 'é;ü'", "SELECT café FROM t"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Split(tt.sql)
			if err != nil {
				t.Fatalf("Split: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Split(%q)\n got %q\nwant %q", tt.sql, got, tt.want)
			}
		})
	}
}

func TestSplit_Unterminated(t *testing.T) {
	_, err := Split("SELECT 1; SELECT 'oops")
	if err == nil || !strings.Contains(err.Error(), "unterminated string literal") {
		t.Errorf("Split error = %v, want unterminated string literal", err)
	}
}

// TestSplit_SQLite runs a script whole and statement by statement and
// expects the same output, so Split cuts where SQLite does.
func TestSplit_SQLite(t *testing.T) {
	script := `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT); CREATE TABLE log (msg TEXT);
CREATE TRIGGER tr AFTER INSERT ON t BEGIN
  INSERT INTO log VALUES ('ins;' || CASE WHEN new.a IS NULL THEN 'null' ELSE new.a END);
  INSERT INTO log VALUES ("end"); -- a comment; with END;
END;
INSERT INTO t(a) VALUES ('x;y'), (NULL); /* ; */ INSERT INTO [t](a) VALUES ('z');
SELECT * FROM log ORDER BY rowid; SELECT count(*) FROM t`
	stmts, err := Split(script)
	if err != nil {
		t.Fatal(err)
	}
	if len(stmts) != 7 {
		t.Fatalf("Split found %d statements, want 7: %q", len(stmts), stmts)
	}
	whole := runSQLite(t, script)
	parts := runSQLite(t, strings.Join(stmts, ";\n")+";")
	if whole != parts || !strings.Contains(whole, "ins;x;y") {
		t.Errorf("script output %q, split output %q", whole, parts)
	}
}
