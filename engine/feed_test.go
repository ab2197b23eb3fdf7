package engine

import (
	"context"
	"testing"
	"time"
)

func TestFeed_ChangesAfterAndWait(t *testing.T) {
	e := openTest(t)
	mustExec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
	start, err := e.LogHead("main")
	if err != nil {
		t.Fatal(err)
	}
	woke := make(chan error, 1)
	go func() { woke <- e.WaitChanges(t.Context(), "main", start) }()
	select {
	case err := <-woke:
		t.Fatalf("WaitChanges returned %v before any write", err)
	case <-time.After(50 * time.Millisecond):
	}
	mustExec(t, e, "INSERT INTO t(id, v) VALUES (1, 'a'), (2, 'b')", "UPDATE t SET v = 'c' WHERE id = 1")
	mustExec(t, e, "DELETE FROM t WHERE id = 2")
	if err := <-woke; err != nil {
		t.Fatalf("WaitChanges: %v", err)
	}
	sets, err := e.ChangesAfter(t.Context(), "main", start, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(sets) != 2 || sets[0].Pos != start+1 || sets[1].Pos != start+2 {
		t.Fatalf("sets after %d: %+v", start, sets)
	}
	var ops []string
	for _, cs := range sets {
		if cs.Origin != e.NodeID() {
			t.Errorf("origin %q, want %q", cs.Origin, e.NodeID())
		}
		for _, ch := range cs.Changes {
			ops = append(ops, ch.Table+":"+ch.Op+":"+string(ch.PK))
		}
	}
	want := []string{"t:c:[1]", "t:c:[2]", "t:u:[1]", "t:d:[2]"}
	if len(ops) != len(want) {
		t.Fatalf("changes %v, want %v", ops, want)
	}
	for i := range want {
		if ops[i] != want[i] {
			t.Fatalf("changes %v, want %v", ops, want)
		}
	}
	if head, _ := e.LogHead("main"); head != start+2 {
		t.Fatalf("head %d, want %d", head, start+2)
	}
	if sets, _ := e.ChangesAfter(t.Context(), "main", start+1, 0); len(sets) != 1 || sets[0].Pos != start+2 {
		t.Fatalf("resume after %d: %+v", start+1, sets)
	}
}

func TestFeed_ReadViewIsConsistentWithPos(t *testing.T) {
	e := openTest(t)
	mustExec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO t(id, v) VALUES (1, 'a')")
	err := e.ReadView(t.Context(), "main", 0, func(v *View) error {
		mustExec(t, e, "INSERT INTO t(id, v) VALUES (2, 'b')") // after the view began
		rows, err := v.Query(Statement{SQL: "SELECT id FROM t ORDER BY id"})
		if err != nil {
			return err
		}
		if len(rows.Rows) != 1 {
			t.Errorf("view sees %v, want only row 1", rows.Rows)
		}
		sets, err := e.ChangesAfter(context.Background(), "main", v.Pos, 0)
		if err != nil {
			return err
		}
		if len(sets) != 1 || len(sets[0].Changes) != 1 || string(sets[0].Changes[0].PK) != "[2]" {
			t.Errorf("after the view's position: %+v, want the insert of row 2 only", sets)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestFeed_TrimmedAndHeld(t *testing.T) {
	e := openTest(t)
	mustExec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY)")
	for range 5 {
		mustExec(t, e, "INSERT INTO t DEFAULT VALUES")
	}
	head, _ := e.LogHead("main")
	time.Sleep(5 * time.Millisecond) // GC takes sets older than now - retention, in whole milliseconds
	e.HoldLog("main", "test", 2)     // positions 3.. must stay
	all := Vector{e.NodeID(): 1 << 40}
	res, err := e.GC(t.Context(), "main", GCOptions{Safe: all, MaxRetention: time.Hour})
	if err != nil || res.Sets != 2 {
		t.Fatalf("gc with a hold at 2: %+v %v, want 2 sets removed", res, err)
	}
	if sets, err := e.ChangesAfter(t.Context(), "main", 2, 0); err != nil || int64(len(sets)) != head-2 {
		t.Fatalf("held sets: %d %v, want %d", len(sets), err, head-2)
	}
	if _, err := e.ChangesAfter(t.Context(), "main", 1, 0); ErrorCode(err) != CodeGone {
		t.Fatalf("reading a trimmed position: %v, want %s", err, CodeGone)
	}
	e.ReleaseLog("main", "test")
	if res, err := e.GC(t.Context(), "main", GCOptions{Safe: all, MaxRetention: time.Hour}); err != nil || res.Sets != head-3 {
		t.Fatalf("gc after release: %+v %v, want %d", res, err, head-3)
	}
}

func TestTables_DescribesUserTables(t *testing.T) {
	e := openTest(t)
	mustExec(t, e, "CREATE TABLE a(k TEXT NOT NULL, n INTEGER, b BLOB, PRIMARY KEY(n, k))", "CREATE TABLE r(x REAL)")
	tables, err := e.Tables(t.Context(), "main")
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) != 2 {
		t.Fatalf("tables %v, want a and r only", tables)
	}
	a := tables["a"]
	if len(a.Columns) != 3 || a.Columns[0] != (ColumnSchema{Name: "k", DeclType: "TEXT", NotNull: true}) || a.Columns[2].DeclType != "BLOB" {
		t.Fatalf("columns of a: %+v", a.Columns)
	}
	if len(a.Key) != 2 || a.Key[0] != "n" || a.Key[1] != "k" {
		t.Fatalf("key of a: %v, want [n k]", a.Key)
	}
	if k := tables["r"].Key; len(k) != 1 || k[0] != "rowid" {
		t.Fatalf("key of r: %v, want [rowid]", k)
	}
}
