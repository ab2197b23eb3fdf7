package engine

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/warren-db/warren/engine/internal/sqlite3"
)

// A user's trigger fires where the write is made; its effects replicate as
// row changes of their own. Applying a peer's changes must not fire it
// again, or the peer ends up with rows the origin never had.
func TestApply_UserTriggersDoNotFireAgain(t *testing.T) {
	e := openNode(t, "n1")
	mustExec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, v)",
		"CREATE TABLE audit(id INTEGER PRIMARY KEY AUTOINCREMENT, what)",
		"CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN INSERT INTO audit(what) VALUES ('ins ' || NEW.v); END",
		"CREATE TRIGGER t_del AFTER DELETE ON t BEGIN INSERT INTO audit(what) VALUES ('del ' || OLD.v); END")
	mustExec(t, e, "INSERT INTO t(v) VALUES ('a')")
	mustExec(t, e, "INSERT INTO t(v) VALUES ('b')", "DELETE FROM t WHERE v = 'a'")
	peer := openNode(t, "n2")
	applyAll(t, peer, ownSets(t, e))
	want := "[[1 ins a] [2 ins b] [3 del a]]"
	for name, n := range map[string]*Engine{"origin": e, "peer": peer} {
		if got := fmt.Sprint(mustQuery(t, n, "SELECT id, what FROM audit ORDER BY id")); got != want {
			t.Fatalf("%s audit %s, want %s", name, got, want)
		}
	}
	// The peer's own writes still fire its triggers, and capture still records them.
	mustExec(t, peer, "INSERT INTO t(v) VALUES ('c')")
	if got := mustQuery(t, peer, "SELECT what FROM audit WHERE what = 'ins c'"); len(got) != 1 {
		t.Fatalf("the peer's own insert fired its trigger %d times", len(got))
	}
	applyAll(t, e, ownSets(t, peer))
	if a, b := fmt.Sprint(mustQuery(t, e, "SELECT what FROM audit ORDER BY what")), fmt.Sprint(mustQuery(t, peer, "SELECT what FROM audit ORDER BY what")); a != b {
		t.Fatalf("origin %s, peer %s", a, b)
	}
}

// Files from before capture was muted by switching triggers off hold a
// __warren_mute table that the capture triggers named; opening drops it and
// rebuilds the triggers.
func TestMigrate_MuteTableDropped(t *testing.T) {
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
	err = old.Exec(`CREATE TABLE __warren_mute(on_ INTEGER PRIMARY KEY);
		DROP TRIGGER __warren_cap_i_t;
		CREATE TRIGGER __warren_cap_i_t AFTER INSERT ON t WHEN NOT EXISTS (SELECT 1 FROM __warren_mute)
		BEGIN INSERT INTO __warren_changes(tbl, op, pk, before, after) VALUES ('t', 'c', json_array(NEW.id), NULL, json_object('id', NEW.id)); END`)
	old.Close()
	if err != nil {
		t.Fatal(err)
	}
	if e, err = Open(cfg); err != nil {
		t.Fatalf("open a file with the mute table: %v", err)
	}
	defer e.Close()
	mustExec(t, e, "INSERT INTO t VALUES (2)")
	if got := mustQuery(t, e, "SELECT count(*) FROM sqlite_schema WHERE name = '__warren_mute' OR sql LIKE '%__warren_mute%'"); got[0][0] != int64(0) {
		t.Fatalf("%v schema objects still name the mute table", got[0][0])
	}
	if sets, err := e.ChangesAfter(t.Context(), "main", 0, 0); err != nil || len(sets) != 2 || len(sets[1].Changes) != 1 {
		t.Fatalf("after migration: %v %+v", err, sets)
	}
}
