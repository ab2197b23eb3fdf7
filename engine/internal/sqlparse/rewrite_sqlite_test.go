package sqlparse

import (
	"strings"
	"testing"
)

const sqliteSchema = `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT UNIQUE, b INT);
CREATE TABLE r (a, b);
CREATE TABLE s (v TEXT);
INSERT INTO s VALUES ('a'), ('b'), ('c');
`

// TestRewriteInsert_SQLite runs rewritten statements in a real SQLite with
// parameters bound by the sqlite3 shell (anonymous ? binds as ?1, ?2, ...),
// proving the output is valid SQLite and every value lands where the original
// statement put it. Ids come from idRecorder: 1001, 1011, 1021, ...
func TestRewriteInsert_SQLite(t *testing.T) {
	tests := []struct {
		name   string
		setup  string
		target Target
		stmt   string
		params []string // arguments of .param set
		check  string   // query run after the statement
		want   string   // output of the statement (RETURNING) and check
	}{
		{"anonymous and numbered parameters keep their slots", "", tableT,
			"INSERT INTO t(a, b) VALUES (?, ?), (?3, :x)", []string{"?1 'p1'", "?2 2", "?3 'p3'", ":x 4"},
			"SELECT * FROM t ORDER BY id", "1001|p1|2\n1011|p3|4\n"},
		{"NULL id parameter gets an id", "", tableT,
			"INSERT INTO t VALUES (?, ?, ?)", []string{"?1 NULL", "?2 'a'", "?3 1"},
			"SELECT * FROM t", "1001|a|1\n"},
		{"given id parameter is kept", "", tableT,
			"INSERT INTO t VALUES (?, ?, ?)", []string{"?1 7", "?2 'a'", "?3 1"},
			"SELECT * FROM t", "7|a|1\n"},
		{"literal, NULL and named ids", "", tableT,
			"INSERT INTO t(id, a) VALUES (NULL, 'n'), (5, 'five'), (:id, 'p')", []string{":id NULL"},
			"SELECT id, a FROM t ORDER BY id", "5|five\n1001|n\n1011|p\n"},
		{"@ and $ parameters", "", tableT,
			"INSERT INTO t(a, b) VALUES (@a, $b)", []string{"@a 'at'", "$b 9"},
			"SELECT * FROM t", "1001|at|9\n"},
		{"default values", "CREATE TABLE d (id INTEGER PRIMARY KEY, a DEFAULT 'x');", Target{IDCol: "id", Columns: []string{"id", "a"}},
			"INSERT INTO d DEFAULT VALUES RETURNING id, a", nil,
			"SELECT count(*) FROM d", "1001|x\n1\n"},
		{"upsert keeps a given id", "INSERT INTO t(id, a) VALUES (1, 'old');", tableT,
			"INSERT INTO t(id, a) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET a = excluded.a RETURNING id, a", []string{"?1 1", "?2 'new'"},
			"SELECT count(*) FROM t", "1|new\n1\n"},
		{"upsert with a NULL id inserts with a minted id", "INSERT INTO t(id, a) VALUES (1, 'old');", tableT,
			"INSERT INTO t(id, a) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET a = excluded.a RETURNING id, a", []string{"?1 NULL", "?2 'new'"},
			"SELECT count(*) FROM t", "1001|new\n2\n"},
		{"insert or ignore", "INSERT INTO t(id, a) VALUES (1, 'a');", tableT,
			"INSERT OR IGNORE INTO t(a) VALUES ('a'), ('z')", nil,
			"SELECT id, a FROM t ORDER BY id", "1|a\n1011|z\n"},
		{"replace into", "", tableT,
			"REPLACE INTO t(a, b) VALUES ('r', 1)", nil,
			"SELECT * FROM t", "1001|r|1\n"},
		{"schema-qualified target", "", tableT,
			"INSERT INTO main.t(a) VALUES ('m')", nil,
			"SELECT id, a FROM t", "1001|m\n"},
		{"comments and semicolon", "", tableT,
			"/* lead */ INSERT INTO t(a) -- cols\nVALUES ('x'); -- trailing", nil,
			"SELECT id, a FROM t", "1001|x\n"},
		{"select without id", "", tableT,
			"INSERT INTO t(a) SELECT v FROM s ORDER BY v -- end", nil,
			"SELECT count(*), min(id), max(id), sum((id - 1001) % 10) FROM t", "3|1001|1021|0\n"},
		{"select with ids of its own", "", tableT,
			"INSERT INTO t SELECT CASE v WHEN 'a' THEN 7 END, v, 1 FROM s", nil,
			"SELECT id FROM t WHERE a = 'a'; SELECT count(*), sum((id - 1001) % 10 = 0 AND id >= 1001) FROM t", "7\n3|2\n"},
		{"select with upsert and returning", "INSERT INTO t(id, a) VALUES (1, 'b');", tableT,
			"INSERT INTO t(a) SELECT v FROM s WHERE true ON CONFLICT(a) DO NOTHING RETURNING a", nil,
			"SELECT count(*), sum(id >= 1001) FROM t", "a\nc\n3|2\n"},
		{"cte and select", "", tableT,
			"WITH x(v) AS (SELECT 'q' UNION ALL SELECT 'r') INSERT INTO t(a, b) SELECT v, ? FROM x", []string{"?1 5"},
			"SELECT a, b, (id - 1001) % 10 FROM t ORDER BY a", "q|5|0\nr|5|0\n"},
		{"rowid table values", "", tableRowid,
			"INSERT INTO r VALUES (?, ?)", []string{"?1 'x'", "?2 2"},
			"SELECT rowid, a, b FROM r", "1001|x|2\n"},
		{"rowid table select", "", tableRowid,
			"INSERT INTO r SELECT v, 1 FROM s WHERE v = 'b'", nil,
			"SELECT rowid, a, b FROM r", "1001|b|1\n"},
		{"rowid given by alias", "", tableRowid,
			"INSERT INTO r(oid, a) VALUES (?, ?), (NULL, ?)", []string{"?1 3", "?2 'x'", "?3 'y'"},
			"SELECT rowid, a FROM r ORDER BY rowid", "3|x\n1011|y\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &idRecorder{}
			stmt, _, err := RewriteInsert(tt.stmt, tt.target, rec.ids)
			if err != nil {
				t.Fatalf("RewriteInsert(%q): %v", tt.stmt, err)
			}
			var script strings.Builder
			script.WriteString(sqliteSchema + tt.setup + "\n")
			for _, p := range tt.params {
				script.WriteString(".param set " + p + "\n")
			}
			script.WriteString(stmt + "\n;\n" + tt.check + ";\n")
			if got := runSQLite(t, script.String()); got != tt.want {
				t.Errorf("statement %s\n got %q\nwant %q", stmt, got, tt.want)
			}
		})
	}
}
