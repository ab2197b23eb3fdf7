package engine

import (
	"fmt"
	"strings"
	"testing"
)

// Every kind of table a user may create reaches a peer exactly: composite
// keys without rowid (and updates that move a row to another key), rowid
// tables, generated and defaulted columns, BLOBs, extreme numbers, STRICT
// tables and a column added with a default.
func TestApply_TableShapesReplicate(t *testing.T) {
	e := openNode(t, "n1")
	mustExec(t, e,
		"CREATE TABLE wr(a TEXT, b INTEGER, v, PRIMARY KEY(a, b)) WITHOUT ROWID",
		"CREATE TABLE r(x, y)",
		"CREATE TABLE g(id INTEGER PRIMARY KEY, p REAL, q AS (p * 2), s BLOB, d TEXT DEFAULT CURRENT_TIMESTAMP)",
		"CREATE TABLE st(id INTEGER PRIMARY KEY, n INTEGER NOT NULL, t TEXT) STRICT")
	mustExec(t, e, "INSERT INTO wr VALUES ('a', 1, 'x'), ('a', 2, 'y'), ('b', 1, NULL)")
	mustExec(t, e, "UPDATE wr SET b = 3 WHERE a = 'a' AND b = 1")
	mustExec(t, e, "UPDATE wr SET a = 'c', v = 'moved' WHERE a = 'b'")
	mustExec(t, e, "INSERT INTO r VALUES (1, 'one'), (2, X'00ff'), (NULL, 3.5)")
	mustExec(t, e, "UPDATE r SET y = 'two' WHERE x = 2", "DELETE FROM r WHERE x = 1")
	mustExec(t, e, "INSERT INTO g(p, s) VALUES (0.1, X'0102'), (1e300, NULL), (-0.0, X'')")
	mustExec(t, e, "INSERT INTO st(n, t) VALUES (9223372036854775807, 'max'), (-9223372036854775808, 'min')")
	mustExec(t, e, "UPDATE st SET id = id + 1000 WHERE t = 'max'")
	mustExec(t, e, "ALTER TABLE st ADD COLUMN z INTEGER NOT NULL DEFAULT 7")
	mustExec(t, e, "INSERT INTO st(n, t) VALUES (1, 'after')")
	peer := openNode(t, "n2")
	applyAll(t, peer, ownSets(t, e))
	want := map[string]int{"wr": 3, "r": 2, "g": 3, "st": 3}
	for tbl, n := range want {
		if got := mustQuery(t, peer, "SELECT count(*) FROM "+tbl); got[0][0] != int64(n) {
			t.Errorf("peer has %v rows in %s, want %d", got[0][0], tbl, n)
		}
	}
	for _, q := range []string{"SELECT * FROM wr ORDER BY a, b", "SELECT rowid, * FROM r ORDER BY rowid", "SELECT id, p, q, hex(s), d FROM g ORDER BY id", "SELECT * FROM st ORDER BY id"} {
		a, b := fmt.Sprint(mustQuery(t, e, q)), fmt.Sprint(mustQuery(t, peer, q))
		if a != b {
			t.Errorf("%s:\norigin %s\npeer   %s", q, a, b)
		}
	}
}

// SQLite lets a rowid table's primary key hold NULL, and two rows with a
// NULL key are distinct; peers know a row by its key and would keep one of
// them. Capture refuses NULL in such a key, on insert and on update; keys
// that cannot be NULL (NOT NULL, INTEGER PRIMARY KEY, WITHOUT ROWID) carry
// no check. What was written reaches a peer exactly.
func TestCapture_NullInPrimaryKeyIsRefused(t *testing.T) {
	e := openNode(t, "n1")
	mustExec(t, e,
		"CREATE TABLE np(a, b, v, PRIMARY KEY(a, b))",
		"CREATE TABLE tk(k TEXT PRIMARY KEY, v)",
		"CREATE TABLE nn(a NOT NULL, b NOT NULL, v, PRIMARY KEY(a, b))",
		"CREATE TABLE ip(id INTEGER PRIMARY KEY, v)",
		"CREATE TABLE wr(a, b, v, PRIMARY KEY(a, b)) WITHOUT ROWID")
	refused := map[string]string{
		"INSERT INTO np VALUES (NULL, 1, 1)":           "NULL in the primary key of np (a, b)",
		"INSERT INTO np VALUES (1, NULL, 1)":           "NULL in the primary key of np (a, b)",
		"INSERT INTO tk VALUES (NULL, 1)":              "NULL in the primary key of tk (k)",
		"UPDATE np SET a = NULL WHERE a = 1 AND b = 1": "NULL in the primary key of np (a, b)",
	}
	mustExec(t, e, "INSERT INTO np VALUES (1, 1, 'kept')", "INSERT INTO tk VALUES ('k', 1)",
		"INSERT INTO nn VALUES (1, 1, 1)", "INSERT INTO ip VALUES (NULL, 'auto id')", "INSERT INTO wr VALUES (1, 1, 1)")
	for sql, want := range refused {
		_, err := e.Exec(t.Context(), "main", []Statement{{SQL: sql}}, ExecOptions{})
		if ErrorCode(err) != CodeConstraint || !strings.Contains(ErrorMessage(err), want) {
			t.Errorf("%s: got %v, want a constraint error naming %q", sql, err, want)
		}
	}
	for table, guarded := range map[string]bool{"np": true, "tk": true, "nn": false, "ip": false, "wr": false} {
		got := mustQuery(t, e, "SELECT count(*) FROM sqlite_schema WHERE name = ? AND sql LIKE '%RAISE%'", triggerPrefix+"i_"+table)
		if (got[0][0] == int64(1)) != guarded {
			t.Errorf("capture trigger of %s checks for NULL keys: %v, want %v", table, got[0][0], guarded)
		}
	}
	peer := openNode(t, "n2")
	applyAll(t, peer, ownSets(t, e))
	for _, q := range []string{"SELECT * FROM np", "SELECT * FROM tk", "SELECT * FROM ip"} {
		a, b := fmt.Sprint(mustQuery(t, e, q)), fmt.Sprint(mustQuery(t, peer, q))
		if a != b {
			t.Errorf("%s:\norigin %s\npeer   %s", q, a, b)
		}
	}
}

// A key column with a collation (NOCASE, RTRIM), or without type affinity
// (1 and 1.0), holds values that differ as one key. Two nodes that insert
// 'A' and 'a' concurrently wrote the same row: once they swap their sets,
// both hold the later write, as it was written. Keys the table tells apart
// ('É' and 'é': NOCASE folds ASCII only; '2' and 2) stay apart everywhere.
func TestApply_KeysTheTableHoldsEqualAreOneRow(t *testing.T) {
	a, b := openNode(t, "a"), openNode(t, "b")
	for _, e := range []*Engine{a, b} {
		mustExec(t, e, "CREATE TABLE n(k TEXT PRIMARY KEY COLLATE NOCASE, v)",
			"CREATE TABLE r(k TEXT COLLATE RTRIM, j INTEGER, v, PRIMARY KEY(k, j)) WITHOUT ROWID",
			"CREATE TABLE u(k PRIMARY KEY, v)")
	}
	mustExec(t, a, "INSERT INTO n VALUES ('Key', 'from a'), ('É', 'upper')", "INSERT INTO r VALUES ('x', 1, 'from a')",
		"INSERT INTO u VALUES (1, 'from a'), ('2', 'text'), (2.5, 'real')")
	mustExec(t, b, "INSERT INTO n VALUES ('kEY', 'from b'), ('é', 'lower')", "INSERT INTO r VALUES ('x  ', 1, 'from b')", // later: wins
		"INSERT INTO u VALUES (1.0, 'from b'), (2, 'integer')")
	applyAll(t, a, ownSets(t, b)[1:])
	applyAll(t, b, ownSets(t, a)[1:])
	for _, q := range []string{"SELECT k, v FROM n ORDER BY v", "SELECT k || '|', j, v FROM r", "SELECT k, typeof(k), v FROM u ORDER BY v"} {
		ga, gb := fmt.Sprint(mustQuery(t, a, q)), fmt.Sprint(mustQuery(t, b, q))
		if ga != gb {
			t.Fatalf("%s:\na has %s\nb has %s", q, ga, gb)
		}
	}
	if got := fmt.Sprint(mustQuery(t, a, "SELECT k, v FROM n ORDER BY v")); got != "[[kEY from b] [é lower] [É upper]]" {
		t.Fatalf("n holds %s", got)
	}
	if got := fmt.Sprint(mustQuery(t, a, "SELECT k || '|', v FROM r")); got != "[[x  | from b]]" {
		t.Fatalf("r holds %s", got)
	}
	if got := fmt.Sprint(mustQuery(t, a, "SELECT k, typeof(k), v FROM u ORDER BY v")); got != "[[1 real from b] [2 integer integer] [2.5 real real] [2 text text]]" {
		t.Fatalf("u holds %s", got)
	}
	mustExec(t, a, "DELETE FROM n WHERE k = 'KEY'")
	applyAll(t, b, ownSets(t, a)[2:])
	if got := mustQuery(t, b, "SELECT count(*) FROM n WHERE k = 'key'"); got[0][0] != int64(0) {
		t.Fatal("a delete by another case of the key did not reach the peer")
	}
}

// A table's own conflict clauses (UNIQUE ON CONFLICT ROLLBACK, FAIL, IGNORE
// or REPLACE) govern its users' statements, not the applying of peers'
// changes: colliding rows written on two nodes converge the same way as
// with plain UNIQUE, and the loser comes back when the winner goes.
func TestApply_TableConflictClausesDoNotSteerLastWriteWins(t *testing.T) {
	for _, clause := range []string{"ROLLBACK", "FAIL", "IGNORE", "REPLACE", "ABORT"} {
		t.Run(clause, func(t *testing.T) {
			a, b := openNode(t, "a"), openNode(t, "b")
			mustExec(t, a, "CREATE TABLE f(id INTEGER PRIMARY KEY ON CONFLICT "+clause+", v UNIQUE ON CONFLICT "+clause+")")
			applyAll(t, b, ownSets(t, a))
			collideAndReinstate(t, a, b, "")
		})
	}
}

// Collisions on a partial or expression UNIQUE index resolve like those on
// plain ones: the later row wins on every node, a row outside the partial
// index never collides, and the loser comes back when the winner goes.
func TestApply_PartialAndExpressionUniqueIndexes(t *testing.T) {
	for _, c := range []struct{ index, row3, rest string }{
		{"CREATE UNIQUE INDEX u ON f(v) WHERE live = 1", "(3, 'same', 0)", " [3 same]"}, // outside the index
		{"CREATE UNIQUE INDEX u ON f(lower(v))", "(3, 'Samey', 1)", " [3 Samey]"},
	} {
		t.Run(c.index, func(t *testing.T) {
			a, b := openNode(t, "a"), openNode(t, "b")
			mustExec(t, a, "CREATE TABLE f(id INTEGER PRIMARY KEY, v TEXT, live INTEGER NOT NULL DEFAULT 1)")
			mustExec(t, a, c.index)
			applyAll(t, b, ownSets(t, a))
			mustExec(t, b, "INSERT INTO f(id, v, live) VALUES "+c.row3)
			collideAndReinstate(t, a, b, c.rest)
		})
	}
}

// collideAndReinstate writes row 1 on a and then, later, row 2 with the same
// value v on b; once the nodes swap their sets both must hold row 2, and
// once row 2 is deleted both must bring row 1 back. rest is what else both
// hold, rows that collide with nothing.
func collideAndReinstate(t *testing.T, a, b *Engine, rest string) {
	t.Helper()
	mustExec(t, a, "INSERT INTO f(id, v) VALUES (1, 'same')")
	mustExec(t, b, "INSERT INTO f(id, v) VALUES (2, 'same')") // later: wins the collision
	seen := map[*Engine]int{}
	swapAndCheck := func(want string) {
		t.Helper()
		fromA, fromB := ownSets(t, a), ownSets(t, b)
		applyAll(t, a, fromB[seen[b]:])
		applyAll(t, b, fromA[seen[a]:])
		seen[a], seen[b] = len(fromA), len(fromB)
		for name, n := range map[string]*Engine{"a": a, "b": b} {
			if got := fmt.Sprint(mustQuery(t, n, "SELECT id, v FROM f ORDER BY id")); got != want {
				t.Fatalf("%s has %s, want %s", name, got, want)
			}
		}
	}
	swapAndCheck("[[2 same]" + rest + "]")
	mustExec(t, b, "DELETE FROM f WHERE id = 2")
	swapAndCheck("[[1 same]" + rest + "]")
}
