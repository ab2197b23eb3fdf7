package cluster

import (
	"fmt"
	"sync"
	"testing"
)

// TestCluster_ConcurrentQuorumWritesOnAllNodes starts one QUORUM insert on
// each of the three nodes at the same moment, ten times, with all nodes up:
// every one must succeed. It isolates what a mixed load does all the time:
// every node coordinates a write while its peers' PREPAREs arrive.
func TestCluster_ConcurrentQuorumWritesOnAllNodes(t *testing.T) {
	c := startCluster(t, 3)
	c.Nodes[0].MustExec("main", "quorum", Stmt{SQL: "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)"})
	eventuallyHasTable(t, c.Nodes, "main", "t")
	m := newModel()
	for round := range 10 {
		if m.enough() {
			break
		}
		var wg sync.WaitGroup
		for _, n := range c.Nodes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				m.insert(n, "quorum", fmt.Sprintf("%s-%d", n.Name, round))
			}()
		}
		wg.Wait()
	}
	for _, err := range m.failures() {
		t.Errorf("anytime_quorum_write_succeeds_with_all_nodes_up: %v", err)
	}
	finallyExactly(t, eventuallyConverged(t, c.Nodes, "main", "t"), m.snapshot())
}
