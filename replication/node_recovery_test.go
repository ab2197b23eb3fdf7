package replication

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/warren-db/warren/engine"
)

// faultyCoordinator injects a fault exactly between the two phases: after
// peers staged a write and before they hear its outcome.
type faultyCoordinator struct {
	*Node
	between func() error
}

func (f *faultyCoordinator) Prepare(ctx context.Context, db string, sets []*engine.ChangeSet, c engine.Consistency) error {
	if err := f.Node.Prepare(ctx, db, sets, c); err != nil {
		return err
	}
	return f.between()
}

func isolate(nodes []*testNode, i int) {
	var others []string
	for j, n := range nodes {
		if j != i {
			others = append(others, n.id)
			n.tr.Partition(nodes[i].id)
		}
	}
	nodes[i].tr.Partition(others...)
}

func healAll(nodes []*testNode) {
	for _, n := range nodes {
		n.tr.Heal()
	}
}

// waitStaged waits until every node holds one staged set.
func waitStaged(t *testing.T, nodes []*testNode) {
	waitFor(t, 5*time.Second, "prepare delivered to every peer", func() bool {
		for _, n := range nodes {
			if stagedCount(t, n) != 1 {
				return false
			}
		}
		return true
	})
}

func stagedCount(t *testing.T, n *testNode) int {
	st, err := n.eng.Staged(context.Background(), "main", time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return len(st)
}

// The coordinator commits locally, but its COMMIT never reaches the peers:
// they find out from its log and apply the staged set.
func TestRecovery_CommitLostPeersApply(t *testing.T) {
	nodes := startCluster(t, 3, testClusterOpts{antiEntropy: time.Hour, resolve: 500 * time.Millisecond})
	nodes[0].mustExec(t, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
	waitFor(t, 5*time.Second, "schema everywhere", func() bool { return nodes[2].rows(t, "SELECT count(*) FROM t") != nil })
	nodes[0].eng.SetReplicator(&faultyCoordinator{Node: nodes[0].node, between: func() error {
		waitStaged(t, nodes[1:]) // both peers hold it: the quorum answered, the other one follows
		isolate(nodes, 0)        // the COMMIT messages will be lost
		return nil
	}})
	if _, err := nodes[0].exec(t, engine.ConsistencyQuorum, "INSERT INTO t(id, v) VALUES (1, 'committed')"); err != nil {
		t.Fatal(err)
	}
	if stagedCount(t, nodes[1]) != 1 || len(nodes[1].rows(t, "SELECT * FROM t")) != 0 {
		t.Fatal("peer should hold the set staged, not applied")
	}
	nodes[0].eng.SetReplicator(nodes[0].node)
	healAll(nodes)
	waitFor(t, 10*time.Second, "staged set applied from the origin's log", func() bool {
		return len(nodes[1].rows(t, "SELECT * FROM t")) == 1 && len(nodes[2].rows(t, "SELECT * FROM t")) == 1
	})
	// the staged copies go right after the apply commits
	waitFor(t, 5*time.Second, "staged sets dropped after resolution", func() bool {
		return stagedCount(t, nodes[1])+stagedCount(t, nodes[2]) == 0
	})
}

// The coordinator dies after PREPARE and before its local commit: the write
// happened nowhere. Its next write reuses the sequence with another HLC;
// peers must drop the stale staged set and keep the new one.
func TestRecovery_CoordinatorDiesBeforeCommit(t *testing.T) {
	nodes := startCluster(t, 3, testClusterOpts{antiEntropy: time.Hour, resolve: 500 * time.Millisecond})
	nodes[0].mustExec(t, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
	waitFor(t, 5*time.Second, "schema everywhere", func() bool { return nodes[2].rows(t, "SELECT count(*) FROM t") != nil })
	nodes[0].eng.SetReplicator(&faultyCoordinator{Node: nodes[0].node, between: func() error {
		waitStaged(t, nodes[1:])
		isolate(nodes, 0) // the ABORT messages will be lost, as if it crashed
		return errors.New("coordinator crashed")
	}})
	if _, err := nodes[0].exec(t, engine.ConsistencyQuorum, "INSERT INTO t(id, v) VALUES (1, 'never')"); err == nil {
		t.Fatal("the write should have failed")
	}
	if stagedCount(t, nodes[1]) != 1 {
		t.Fatal("peer should hold the set staged")
	}
	nodes[0].eng.SetReplicator(nodes[0].node)
	if _, err := nodes[0].exec(t, engine.ConsistencyOne, "INSERT INTO t(id, v) VALUES (2, 'next')"); err != nil {
		t.Fatal(err) // same sequence number, another HLC; not delivered yet (isolated)
	}
	healAll(nodes)
	waitFor(t, 10*time.Second, "stale staged sets dropped", func() bool {
		return stagedCount(t, nodes[1])+stagedCount(t, nodes[2]) == 0
	})
	for _, n := range nodes {
		if got := n.rows(t, "SELECT v FROM t WHERE id = 1"); len(got) != 0 {
			t.Fatalf("the failed write exists on %s", n.id)
		}
	}
	waitFor(t, 10*time.Second, "the next write everywhere", func() bool {
		// anti-entropy runs hourly in this cluster: run rounds here (each asks one random peer)
		nodes[1].node.antiEntropyRound(context.Background())
		nodes[2].node.antiEntropyRound(context.Background())
		return len(nodes[1].rows(t, "SELECT v FROM t WHERE id = 2")) == 1 && len(nodes[2].rows(t, "SELECT v FROM t WHERE id = 2")) == 1
	})
}
