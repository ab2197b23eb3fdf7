package engine

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/warren-db/warren/engine/internal/sqlite3"
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

// TestFeed_LostChangesAreMarked: a row change that arrives after a newer
// version of its row (here an origin's insert after its own later delete,
// as a ONE push can overtake a QUORUM commit) changes nothing and is marked
// lost, but the set is kept whole for relaying.
func TestFeed_LostChangesAreMarked(t *testing.T) {
	a, b := openNode(t, "a"), openNode(t, "b")
	mustExec(t, a, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
	mustExec(t, a, "INSERT INTO t(id, v) VALUES (1, 'a'), (3, 'c')")
	mustExec(t, a, "DELETE FROM t WHERE id = 3")
	sets := ownSets(t, a)
	start, _ := b.LogHead("main")
	applyAll(t, b, []*ChangeSet{sets[0], sets[2], sets[1]})

	got, err := b.ChangesAfter(t.Context(), "main", start, 0)
	if err != nil {
		t.Fatal(err)
	}
	var desc []string
	for _, cs := range got {
		for _, ch := range cs.Changes {
			d := ch.Op + string(ch.PK)
			if ch.Lost {
				d += " lost"
			}
			desc = append(desc, d)
		}
	}
	if s := strings.Join(desc, ", "); s != "d[3], c[1], c[3] lost" {
		t.Fatalf("b's log after the schema: %s, want d[3], c[1], c[3] lost", s)
	}
	c := openNode(t, "c")
	relayed, err := b.ChangesSince(t.Context(), "main", Vector{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	applyAll(t, c, relayed)
	if rows := mustQuery(t, c, "SELECT id FROM t"); len(rows) != 1 || rows[0][0] != int64(1) {
		t.Fatalf("relayed through b, c holds %v, want row 1 only", rows)
	}
	if got, _ := c.ChangesAfter(t.Context(), "main", 0, 0); len(got) != 3 || len(got[2].Changes) != 2 || !got[2].Changes[1].Lost {
		t.Fatalf("c (fed in b's log order) does not hold the relayed set whole with its lost change: %+v", got)
	}
}

// TestMigrate_ChangesLostColumn: a file made before the lost column opens.
func TestMigrate_ChangesLostColumn(t *testing.T) {
	cfg := testConfig(t)
	e, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY)", "INSERT INTO t VALUES (1)")
	e.Close()
	old, err := sqlite3.Open(filepath.Join(cfg.DataDir, "main.db"), sqlite3.OpenReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	if err := old.Exec("ALTER TABLE __warren_changes DROP COLUMN lost"); err != nil {
		t.Fatal(err)
	}
	old.Close()
	if e, err = Open(cfg); err != nil {
		t.Fatalf("open a file without the lost column: %v", err)
	}
	defer e.Close()
	mustExec(t, e, "INSERT INTO t VALUES (2)")
	if sets, err := e.ChangesAfter(t.Context(), "main", 0, 0); err != nil || len(sets) != 2 {
		t.Fatalf("after migration: %v %+v", err, sets)
	}
}
