package replication

import (
	"testing"
	"time"

	"github.com/warren-db/warren/engine"
)

// Two of three nodes are lost for good: removing them lets the survivor
// take QUORUM writes again. A removed node that comes back is readmitted.
func TestNode_RemovedMembersStopCounting(t *testing.T) {
	nodes := startCluster(t, 3, testClusterOpts{})
	n1 := nodes[0]
	n1.mustExec(t, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
	eventuallySame(t, nodes, "SELECT count(*) FROM sqlite_schema WHERE name = 't'")
	n3dir := nodes[2].dir
	nodes[1].stop()
	nodes[2].stop()
	waitFor(t, 15*time.Second, "n2 and n3 dead on n1", func() bool {
		dead := 0
		for _, m := range n1.mem.Members() {
			if m.State == MemberDead {
				dead++
			}
		}
		return dead == 2
	})
	if _, err := n1.exec(t, engine.ConsistencyQuorum, "INSERT INTO t(v) VALUES ('x')"); err == nil {
		t.Fatal("a QUORUM write succeeded with two of three voters down")
	}

	for id, want := range map[string]engine.Code{"n1": engine.CodeInvalid, "n9": engine.CodeNotFound} {
		if err := n1.node.RemoveMember(id); engine.ErrorCode(err) != want {
			t.Fatalf("remove %s: %v, want %s", id, err, want)
		}
	}
	for _, id := range []string{"n2", "n3"} {
		if err := n1.node.RemoveMember(id); err != nil {
			t.Fatalf("remove dead %s: %v", id, err)
		}
	}
	if _, err := n1.exec(t, engine.ConsistencyQuorum, "INSERT INTO t(v) VALUES ('after removal')"); err != nil {
		t.Fatalf("QUORUM write on the survivor after removing the lost nodes: %v", err)
	}
	for _, m := range n1.node.Members() {
		if m.NodeID != "n1" {
			t.Fatalf("removed member %s still listed (%s)", m.NodeID, m.State)
		}
	}

	back := startTestNode(t, "n3", 3, []string{n1.mem.GossipAddr()}, testClusterOpts{antiEntropy: 100 * time.Millisecond, resolve: time.Second}, n3dir)
	waitFor(t, 15*time.Second, "n3 readmitted on both nodes", func() bool {
		_, on1 := n1.eng.Registry(registryRemoved)["n3"]
		_, on3 := back.eng.Registry(registryRemoved)["n3"]
		return !on1 && !on3
	})
	if need, _, _ := n1.node.acksNeeded(engine.ConsistencyQuorum); need != 2 {
		t.Fatalf("QUORUM needs %d acks with n1 and n3 voting", need)
	}
	if err := n1.node.RemoveMember("n3"); engine.ErrorCode(err) != engine.CodeInvalid {
		t.Fatalf("remove a live member: %v", err)
	}
	eventuallySame(t, []*testNode{n1, back}, "SELECT count(*) FROM t")
}
