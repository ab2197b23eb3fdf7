package cluster

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"testing"
	"time"
)

// TestCluster_QuorumOneDownTwoDown crashes n3: QUORUM writes on n1 still
// succeed. It crashes n2 too: a QUORUM write answers 503 unavailable, while
// ONE still commits locally. Once both are back and the cluster converged,
// the failed write's row is on no node.
func TestCluster_QuorumOneDownTwoDown(t *testing.T) {
	c := startCluster(t, 3)
	n1, n2, n3 := c.Nodes[0], c.Nodes[1], c.Nodes[2]
	n1.MustExec("main", "quorum", Stmt{SQL: "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)"})
	eventuallyHasTable(t, c.Nodes, "main", "t")
	m := newModel()

	n3.Kill()
	for _, v := range []string{"one-down-a", "one-down-b", "one-down-c"} {
		if _, ok := m.insert(n1, "quorum", v); !ok {
			t.Errorf("anytime_quorum_with_one_node_down: %v", m.failures())
		}
	}

	n2.Kill()
	marker := "two-down-" + rand.Text()
	res, err := n1.Exec("main", "quorum", Stmt{SQL: "INSERT INTO t(v) VALUES (?)", Params: []any{marker}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != http.StatusServiceUnavailable || res.Error == nil || res.Error.Code != "unavailable" {
		t.Fatalf("anytime_no_quorum_is_unavailable: QUORUM write with 2 of 3 down answered %d %+v", res.Status, res.Error)
	}
	finallyAbsent(t, []*Node{n1}, "main", "t", marker)
	if _, ok := m.insert(n1, "one", "one-alone"); !ok {
		t.Errorf("anytime_one_commits_locally: %v", m.failures())
	}

	c.startAll(n2, n3)
	got := eventuallyConverged(t, c.Nodes, "main", "t")
	finallyAbsent(t, c.Nodes, "main", "t", marker)
	finallyExactly(t, got, m.snapshot())
}

// TestCluster_RestartedNodeKeepsQuorumSize crashes n2 and n3, then restarts
// n1: it is still one of three members, two of them down, so a QUORUM write
// on it must answer 503 rather than count its own copy as a majority.
func TestCluster_RestartedNodeKeepsQuorumSize(t *testing.T) {
	n1, _ := loseTwoOfThree(t)
	n1.Stop()
	n1.Start()

	marker := "restarted-alone-" + rand.Text()
	res, err := n1.Exec("main", "quorum", Stmt{SQL: "INSERT INTO t(v) VALUES (?)", Params: []any{marker}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != http.StatusServiceUnavailable || res.Error == nil || res.Error.Code != "unavailable" {
		info, _ := n1.Cluster()
		t.Fatalf("anytime_no_quorum_is_unavailable: restarted n1 with 2 of 3 down answered a QUORUM write with %d %+v; it sees members %+v",
			res.Status, res.Error, info.Members)
	}
}

// TestCluster_RemovingLostNodesRestoresQuorum crashes n2 and n3 for good:
// QUORUM writes on n1 fail until an operator removes both, then succeed,
// also after n1 restarts. /v1/cluster no longer lists them.
func TestCluster_RemovingLostNodesRestoresQuorum(t *testing.T) {
	n1, lost := loseTwoOfThree(t)
	if res, err := n1.Exec("main", "quorum", Stmt{SQL: "INSERT INTO t(v) VALUES ('lost')"}); err != nil || res.Status != http.StatusServiceUnavailable {
		t.Fatalf("QUORUM write with 2 of 3 down: %+v %v", res, err)
	}

	if status, err := n1.call("DELETE", "/v1/cluster/members/n1", nil, nil); err != nil || status != http.StatusBadRequest {
		t.Fatalf("a node removing itself: %d %v, want 400", status, err)
	}
	for _, gone := range lost {
		eventually(t, 30*time.Second, "eventually_removed("+gone.Name+")", func() error {
			status, err := n1.call("DELETE", "/v1/cluster/members/"+gone.Name, nil, nil)
			if err == nil && status != http.StatusNoContent {
				err = fmt.Errorf("status %d (the member is not dead yet?)", status)
			}
			return err
		})
	}
	n1.MustExec("main", "quorum", Stmt{SQL: "INSERT INTO t(v) VALUES ('after removal')"})
	info, err := n1.Cluster()
	if err != nil || len(info.Members) != 1 || info.Members[0].NodeID != n1.Name {
		t.Fatalf("members after the removal: %+v %v", info.Members, err)
	}

	n1.Stop()
	n1.Start()
	n1.MustExec("main", "quorum", Stmt{SQL: "INSERT INTO t(v) VALUES ('after restart')"})
}

// loseTwoOfThree starts three nodes, creates table t on them, and crashes
// n2 and n3. It returns n1 and the crashed nodes.
func loseTwoOfThree(t *testing.T) (*Node, []*Node) {
	c := startCluster(t, 3)
	n1 := c.Nodes[0]
	n1.MustExec("main", "quorum", Stmt{SQL: "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)"})
	eventuallyHasTable(t, c.Nodes, "main", "t")
	for _, n := range c.Nodes[1:] {
		n.Kill()
	}
	return n1, c.Nodes[1:]
}
