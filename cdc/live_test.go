package cdc

import (
	"context"
	"errors"
	"fmt"
	osexec "os/exec"
	"path/filepath"
	"testing"

	"github.com/warren-db/warren/engine"
)

func TestLiveQuery_IncrementalWhere(t *testing.T) {
	e := openEngine(t)
	exec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score INTEGER)",
		"INSERT INTO t VALUES (1, 'a', 10), (2, 'b', 50), (3, 'c', 70)")
	at := head(t, e)
	r := startLive(t, e, LiveOptions{}, "SELECT name, score FROM t WHERE score >= ? ORDER BY score DESC", int64(50))
	evs := r.expect(
		"columns name:TEXT,score:INTEGER key=[id] incremental",
		"rows ['c' 70] ['b' 50] keys=[3] [2]",
		"ready")
	if evs[2].Pos != End(at) {
		t.Fatalf("ready at %v, want %v", evs[2].Pos, End(at))
	}

	exec(t, e, "INSERT INTO t VALUES (4, 'd', 90)")
	ins := r.expect("insert [4] new=['d' 90]")
	if ins[0].Pos != (Position{Pos: head(t, e), Index: 0}) {
		t.Fatalf("insert at %v, want the change's position %d-0", ins[0].Pos, head(t, e))
	}
	// Changes that leave the result as it is give no event: the next event
	// is the next change's. (Several change sets may be evaluated together:
	// events give the result's net change from one evaluation to the next.)
	exec(t, e, "INSERT INTO t VALUES (5, 'e', 5)")      // stays out of the result
	exec(t, e, "UPDATE t SET name = 'ee' WHERE id = 5") // still out
	exec(t, e, "UPDATE t SET score = 50 WHERE id = 2")  // no projected value changes
	exec(t, e, "UPDATE t SET score = 60 WHERE id = 2")  // changes in the result
	r.expect("update [2] old=['b' 50] new=['b' 60]")
	exec(t, e, "UPDATE t SET score = 10 WHERE id = 3") // moves out of the filter
	r.expect("delete [3] old=['c' 70]")
	exec(t, e, "UPDATE t SET score = 80 WHERE id = 1") // moves into it
	r.expect("insert [1] new=['a' 80]")
	exec(t, e, "DELETE FROM t WHERE id IN (4, 5)") // one in, one out
	r.expect("delete [4] old=['d' 90]")
	exec(t, e, "UPDATE t SET id = 100 WHERE id = 1") // a key change: delete, then insert
	r.expect("delete [1] old=['a' 80]", "insert [100] new=['a' 80]")

	// One transaction of several rows: one event per row, in the set's order.
	exec(t, e, "INSERT INTO t VALUES (6, 'f', 99), (7, 'g', 1)",
		"UPDATE t SET score = 61 WHERE id = 2", "DELETE FROM t WHERE id = 100")
	pos := head(t, e)
	tx := r.expect("insert [6] new=['f' 99]", "update [2] old=['b' 60] new=['b' 61]", "delete [100] old=['a' 80]")
	for i, want := range []int{0, 2, 3} {
		if tx[i].Pos != (Position{Pos: pos, Index: want}) {
			t.Errorf("event %d at %v, want %d-%d", i, tx[i].Pos, pos, want)
		}
	}
}

func TestLiveQuery_DirectWriteToTheFile(t *testing.T) {
	if _, err := osexec.LookPath("sqlite3"); err != nil {
		t.Fatal("the sqlite3 shell is required (apt-get install sqlite3): .ci/run installs it")
	}
	e, dir := openEngineDir(t)
	exec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO t VALUES (1, 'keep'), (2, 'drop')")
	r := startLive(t, e, LiveOptions{}, "SELECT v FROM t WHERE v <> 'hidden'")
	r.expect("columns v:TEXT key=[id] incremental", "rows ['keep'] ['drop'] keys=[1] [2]", "ready")
	out, err := osexec.Command("sqlite3", "-cmd", ".timeout 5000", filepath.Join(dir, "main.db"),
		"BEGIN; INSERT INTO t VALUES (3, 'new'), (4, 'hidden'); UPDATE t SET v = 'kept' WHERE id = 1; DELETE FROM t WHERE id = 2; COMMIT;").CombinedOutput()
	if err != nil {
		t.Fatalf("sqlite3: %v %s", err, out)
	}
	r.expect("insert [3] new=['new']", "update [1] old=['keep'] new=['kept']", "delete [2] old=['drop']")
}

func TestLiveQuery_RerunAggregateAndJoin(t *testing.T) {
	e := openEngine(t)
	exec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score INTEGER)",
		"CREATE TABLE u(id INTEGER PRIMARY KEY, tid INTEGER, tag TEXT)",
		"CREATE TABLE other(id INTEGER PRIMARY KEY)",
		"INSERT INTO t VALUES (1, 'a', 10), (2, 'b', 20)", "INSERT INTO u VALUES (1, 1, 'x')")

	agg := startLive(t, e, LiveOptions{}, "SELECT count(*) AS n, sum(score) AS total FROM t WHERE score > ?", int64(0))
	agg.expect("columns n:,total: key=[] rerun", "rows [2 30] keys=", "ready")
	join := startLive(t, e, LiveOptions{}, "SELECT t.name, u.tag FROM t JOIN u ON u.tid = t.id ORDER BY u.id")
	join.expect("columns name:TEXT,tag:TEXT key=[] rerun", "rows ['a' 'x'] keys=", "ready")

	exec(t, e, "INSERT INTO other VALUES (1)") // read by neither
	exec(t, e, "INSERT INTO t VALUES (3, 'c', 5)")
	agg.expect("delete old=[2 30]", "insert new=[3 35]")
	exec(t, e, "INSERT INTO u VALUES (2, 3, 'y'), (3, 3, 'y')")
	join.expect("insert new=['c' 'y']", "insert new=['c' 'y']") // a multiset: both rows
	exec(t, e, "DELETE FROM u WHERE id = 3")
	join.expect("delete old=['c' 'y']")
	exec(t, e, "UPDATE t SET score = 0 WHERE id = 1")
	agg.expect("delete old=[3 35]", "insert new=[2 25]")
}

func TestLiveQuery_Refusals(t *testing.T) {
	e := openEngine(t)
	exec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY)")
	f := NewFeed(e, Options{})
	for sql, code := range map[string]engine.Code{
		"INSERT INTO t VALUES (1)":           engine.CodeReadOnly,
		"DELETE FROM t":                      engine.CodeReadOnly,
		"SELECT * FROM t; SELECT * FROM t":   engine.CodeInvalid,
		"SELECT 1; DELETE FROM t":            engine.CodeInvalid,
		"BEGIN":                              engine.CodeInvalid,
		"WITH x AS (SELECT 1) DELETE FROM t": engine.CodeReadOnly,
	} {
		if _, err := f.Live("main", engine.Statement{SQL: sql}, LiveOptions{}); engine.ErrorCode(err) != code {
			t.Errorf("Live(%q) = %v, want code %s", sql, err, code)
		}
	}
	for sql, code := range map[string]engine.Code{
		"SELECT * FROM nowhere":                 engine.CodeSQL,
		"SELECT * FROM t WHERE nocolumn = 1":    engine.CodeSQL,
		"SELECT count(*) FROM nowhere":          engine.CodeSQL,
		"SELECT * FROM t WHERE id = ?":          engine.CodeInvalid, // a parameter without a value
		"SELECT * FROM t WHERE id = randomblob": engine.CodeSQL,
	} {
		q, err := f.Live("main", engine.Statement{SQL: sql}, LiveOptions{})
		if err != nil {
			t.Fatalf("Live(%q): %v", sql, err)
		}
		events := 0
		err = q.Run(t.Context(), func(*LiveEvent) error { events++; return nil })
		if engine.ErrorCode(err) != code || events != 0 {
			t.Errorf("Run(%q) = %v after %d events, want code %s before any", sql, err, events, code)
		}
	}
}

func TestLiveQuery_KeysOfEveryShape(t *testing.T) {
	e := openEngine(t)
	exec(t, e, "CREATE TABLE c(a TEXT, b INTEGER, v BLOB, PRIMARY KEY (a, b)) WITHOUT ROWID",
		"CREATE TABLE r(x TEXT)", // no declared key: rowid
		"INSERT INTO c VALUES ('k', 1, x'00ff'), ('k', 2, x'01')", "INSERT INTO r VALUES ('one')")
	q, err := NewFeed(e, Options{}).Live("main", engine.Statement{SQL: "SELECT * FROM c AS cc WHERE cc.a = :a",
		Params: engine.Params{Named: map[string]engine.Value{"a": "k"}}}, LiveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	comp := runLive(t, q)
	comp.expect("columns a:TEXT,b:INTEGER,v:BLOB key=[a b] incremental",
		"rows ['k' 1 x'00ff'] ['k' 2 x'01'] keys=['k' 1] ['k' 2]", "ready")
	rowid := startLive(t, e, LiveOptions{}, "SELECT x FROM r")
	rowid.expect("columns x:TEXT key=[rowid] incremental", "rows ['one'] keys=[1]", "ready")

	exec(t, e, "UPDATE c SET v = x'02' WHERE b = 2", "INSERT INTO c VALUES ('j', 1, NULL), ('k', 3, NULL)")
	comp.expect("update ['k' 2] old=['k' 2 x'01'] new=['k' 2 x'02']", "insert ['k' 3] new=['k' 3 null]")
	exec(t, e, "UPDATE r SET x = 'uno'", "INSERT INTO r VALUES ('two')")
	rows, err := e.Query(t.Context(), "main", engine.Statement{SQL: "SELECT rowid FROM r WHERE x = 'two'"}, engine.QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rowid.expect("update [1] old=['one'] new=['uno']", fmt.Sprintf("insert [%d] new=['two']", rows.Rows[0][0]))
}

func TestLiveQuery_ManyKeysInOneTransaction(t *testing.T) {
	e := openEngine(t)
	exec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)")
	r := startLive(t, e, LiveOptions{}, "SELECT v FROM t WHERE v % 2 = 0 -- even rows only")
	r.expect("columns v:INTEGER key=[id] incremental", "rows  keys=", "ready")
	exec(t, e, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) INSERT INTO t SELECT i, i FROM n")
	for i := 2; i <= 5000; i += 2 {
		ev := r.next()
		if ev.Kind != LiveInsert || ev.Key[0] != int64(i) || ev.New[0] != int64(i) {
			t.Fatalf("event for row %d: %s", i, liveString(ev))
		}
	}
}

func TestLiveQuery_Ends(t *testing.T) {
	t.Run("schema change", func(t *testing.T) {
		e := openEngine(t)
		exec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)", "CREATE TABLE other(id INTEGER PRIMARY KEY)")
		r := startLive(t, e, LiveOptions{}, "SELECT * FROM t")
		r.expect("columns id:INTEGER,v:TEXT key=[id] incremental", "rows  keys=", "ready")
		exec(t, e, "CREATE TABLE more(id INTEGER PRIMARY KEY)", "INSERT INTO t VALUES (1, 'a')") // another table: goes on
		r.expect("insert [1] new=[1 'a']")
		exec(t, e, "ALTER TABLE t ADD COLUMN w TEXT")
		exec(t, e, "INSERT INTO other VALUES (1)")
		if err := r.end(); !errors.Is(err, ErrLiveSchemaChanged) {
			t.Fatalf("Run ended with %v, want ErrLiveSchemaChanged", err)
		}
	})
	t.Run("too many rows", func(t *testing.T) {
		e := openEngine(t)
		exec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY)", "INSERT INTO t VALUES (1), (2)")
		r := startLive(t, e, LiveOptions{MaxRows: 2}, "SELECT id FROM t")
		r.expect("columns id:INTEGER key=[id] incremental", "rows [1] [2] keys=[1] [2]", "ready")
		exec(t, e, "INSERT INTO t VALUES (3)")
		if err := r.end(); engine.ErrorCode(err) != engine.CodeTooLarge {
			t.Fatalf("Run ended with %v, want too_large", err)
		}
		q, _ := NewFeed(e, Options{}).Live("main", engine.Statement{SQL: "SELECT count(*) FROM t"}, LiveOptions{MaxRows: 2})
		rr := runLive(t, q)
		rr.expect("columns count(*): key=[] rerun", "rows [3] keys=", "ready")
	})
	t.Run("context", func(t *testing.T) {
		e := openEngine(t)
		exec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY)")
		q, _ := NewFeed(e, Options{}).Live("main", engine.Statement{SQL: "SELECT id FROM t"}, LiveOptions{})
		ctx, cancel := context.WithCancel(t.Context())
		err := q.Run(ctx, func(ev *LiveEvent) error {
			if ev.Kind == LiveReady {
				cancel()
			}
			return nil
		})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Run ended with %v, want context.Canceled", err)
		}
	})
}
