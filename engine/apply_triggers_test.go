package engine

import (
	"fmt"
	"testing"
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
	// The last user trigger goes away in a set the peer applies: its
	// triggers, capture's among them, must be on again afterwards.
	mustExec(t, e, "DROP TRIGGER t_ins", "DROP TRIGGER t_del")
	applyAll(t, peer, ownSets(t, e))
	mustExec(t, peer, "INSERT INTO t(v) VALUES ('captured')")
	sets := ownSets(t, peer)
	if last := sets[len(sets)-1]; len(last.Changes) != 1 || last.Changes[0].Table != "t" {
		t.Fatalf("the peer's insert after the triggers went away was not captured: %+v", last)
	}
}
