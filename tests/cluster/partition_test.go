package cluster

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"
)

// TestCluster_PartitionHeals freezes n3 with SIGSTOP until n1 no longer
// sees it alive, writes on n1 and n2 at once meanwhile (QUORUM succeeds, each
// needing the other's ack; ALL fails and happens nowhere), resumes n3, writes
// on it too, and expects the three nodes to converge on exactly the
// acknowledged writes.
func TestCluster_PartitionHeals(t *testing.T) {
	c := startCluster(t, 3)
	n1, n3 := c.Nodes[0], c.Nodes[2]
	n1.MustExec("main", "quorum", Stmt{SQL: "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)"})
	eventuallyHasTable(t, c.Nodes, "main", "t")
	m := newModel()

	n3.Pause()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, n := range c.Nodes[:2] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if m.enough() {
					return
				}
				m.insert(n, "quorum", fmt.Sprintf("partitioned-%s-%d", n.Name, i))
			}
		}()
	}
	eventually(t, 30*time.Second, "eventually_n3_looks_partitioned", func() error {
		if m.enough() {
			return nil // the failures are reported below
		}
		slots, err := aliveSlots(n1)
		if err != nil {
			return err
		}
		if _, alive := slots[n3.Name]; alive || m.count() < 20 {
			return fmt.Errorf("n1 sees n3 alive (%v) after %d writes", alive, m.count())
		}
		return nil
	})
	close(stop)
	wg.Wait()
	for _, err := range m.failures() {
		t.Errorf("anytime_quorum_while_one_node_partitioned: %v", err)
	}
	marker := "all-during-partition-" + rand.Text()
	res, err := n1.Exec("main", "all", Stmt{SQL: "INSERT INTO t(v) VALUES (?)", Params: []any{marker}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != http.StatusServiceUnavailable || res.Error == nil || res.Error.Code != "unavailable" {
		t.Fatalf("anytime_all_needs_every_node: ALL write with n3 partitioned answered %d %+v", res.Status, res.Error)
	}

	n3.Resume()
	for _, level := range []string{"one", "quorum"} {
		if _, ok := m.insert(n3, level, "healed-n3-"+level); !ok {
			t.Errorf("anytime_write_after_heal: %v", m.failures())
		}
	}
	got := eventuallyConverged(t, c.Nodes, "main", "t")
	finallyAbsent(t, c.Nodes, "main", "t", marker)
	finallyExactly(t, got, m.snapshot())
}
