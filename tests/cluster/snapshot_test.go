package cluster

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// tinyGC makes change-log GC trim within about a second and send a
// snapshot to a peer missing anything older than a second.
var tinyGC = []string{"--gc-interval", "500ms", "--gc-min-retention-hours", "0.0003",
	"--gc-max-retention-hours", "0.001", "--delta-sync-threshold-seconds", "1"}

// TestCluster_SnapshotBootstrapAfterGC writes a few hundred rows on a
// two-node cluster, waits until GC trimmed both change logs, then starts a
// third node: it cannot catch up from the log, installs a snapshot, ends
// with every row and takes part in replication afterwards.
func TestCluster_SnapshotBootstrapAfterGC(t *testing.T) {
	c := startCluster(t, 2, tinyGC...)
	n1, n2 := c.Nodes[0], c.Nodes[1]
	n1.MustExec("main", "quorum", Stmt{SQL: "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)"})
	m := newModel()
	for batch := range 30 {
		n := c.Nodes[batch%2]
		stmts := make([]Stmt, 10)
		for i := range stmts {
			v := fmt.Sprintf("%s-%d-%d", n.Name, batch, i)
			stmts[i] = Stmt{SQL: "INSERT INTO t(v) VALUES (?)", Params: []any{v}}
		}
		res := n.MustExec("main", "quorum", stmts...)
		for i, r := range res.Results {
			m.set(r.LastInsertID, stmts[i].Params[0].(string))
		}
	}
	eventuallyConverged(t, c.Nodes, "main", "t")
	eventuallyLogTrimmed(t, n1, n2)

	n3 := c.addNode()
	got := eventuallyConverged(t, c.Nodes, "main", "t")
	finallyExactly(t, got, m.snapshot())
	if !strings.Contains(n3.Logs(), `msg="snapshot installed"`) {
		t.Fatalf("finally_bootstrapped_from_snapshot: n3 converged but its log shows no installed snapshot")
	}

	id, ok := m.insert(n3, "one", "after-snapshot")
	if !ok {
		t.Fatalf("write on n3 after its snapshot: %v", m.failures())
	}
	finallyExactly(t, eventuallyConverged(t, c.Nodes, "main", "t"), m.snapshot())
	if id%idStride != int64(slotOf(t, n3)%idStride) {
		t.Errorf("anytime_ids_in_own_slot: n3 minted %d outside its slot", id)
	}
}

// TestCluster_RestartBehindTrimmedLog crashes n3, writes on n1 and n2
// until GC trimmed what n3 lacks from their logs, and restarts n3: it
// catches up from a snapshot (keeping its own earlier writes) and ends with
// exactly the acknowledged writes.
func TestCluster_RestartBehindTrimmedLog(t *testing.T) {
	c := startCluster(t, 3, tinyGC...)
	n1, n2, n3 := c.Nodes[0], c.Nodes[1], c.Nodes[2]
	n1.MustExec("main", "quorum", Stmt{SQL: "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)"})
	eventuallyHasTable(t, c.Nodes, "main", "t")
	m := newModel()
	for i := range 5 {
		if _, ok := m.insert(n3, "quorum", fmt.Sprintf("n3-before-%d", i)); !ok {
			t.Fatal(m.failures())
		}
	}
	eventuallyConverged(t, c.Nodes, "main", "t")

	n3.Kill()
	for i := range 60 {
		if _, ok := m.insert(c.Nodes[i%2], "quorum", fmt.Sprintf("while-n3-down-%d", i)); !ok {
			t.Fatal(m.failures())
		}
	}
	eventuallyLogTrimmed(t, n1, n2)

	restartedAt := len(n3.Logs())
	n3.Start()
	got := eventuallyConverged(t, c.Nodes, "main", "t")
	finallyExactly(t, got, m.snapshot())
	if !strings.Contains(n3.Logs()[restartedAt:], `msg="snapshot installed"`) {
		t.Fatalf("finally_caught_up_by_snapshot: n3 converged without installing a snapshot after its restart")
	}
}

// eventuallyLogTrimmed waits until GC left at most two change sets in the
// log of each node.
func eventuallyLogTrimmed(t *testing.T, nodes ...*Node) {
	t.Helper()
	eventually(t, 30*time.Second, "eventually_log_trimmed", func() error {
		for _, n := range nodes {
			res, err := n.Query("main", "SELECT count(*) FROM __warren_log", "")
			if err != nil {
				return err
			}
			if k, err := asInt(res.Rows[0][0]); err != nil || k > 2 {
				return fmt.Errorf("%s still logs %v change sets (%v)", n.Name, res.Rows[0][0], err)
			}
		}
		return nil
	})
}
