package cluster

import (
	"fmt"
	"slices"
	"sync"
	"testing"
)

// TestCluster_ConcurrentUpdatesOfOneRow has n1 and n2 update the same row
// many times at once at consistency ONE. All three nodes end with the same
// value, and it is the last value one of the two writers wrote: each node's
// clock only moves forward, so the newest write of the whole run is some
// node's last one (last-write-wins).
func TestCluster_ConcurrentUpdatesOfOneRow(t *testing.T) {
	c := startCluster(t, 3)
	n1, n2 := c.Nodes[0], c.Nodes[1]
	n1.MustExec("main", "quorum", Stmt{SQL: "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)"},
		Stmt{SQL: "INSERT INTO t(id, v) VALUES (1, 'initial')"})
	eventuallyConverged(t, c.Nodes, "main", "t")

	const updates = 50
	m := newModel()
	var wg sync.WaitGroup
	for _, n := range []*Node{n1, n2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range updates {
				res, ok := m.write(n, "one", "UPDATE t SET v = ? WHERE id = 1", fmt.Sprintf("%s-%d", n.Name, i))
				if ok && res.Results[0].RowsAffected != 1 {
					m.fail(fmt.Errorf("%s update %d changed %d rows", n.Name, i, res.Results[0].RowsAffected))
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range m.failures() {
		t.Errorf("anytime_one_writes_succeed: %v", err)
	}

	got := eventuallyConverged(t, c.Nodes, "main", "t")
	lasts := []string{fmt.Sprintf("1:n1-%d", updates-1), fmt.Sprintf("1:n2-%d", updates-1)}
	if len(got) != 1 || !slices.Contains(lasts, got[0]) {
		t.Fatalf("finally_last_write_wins: converged on %v, want one of %v", got, lasts)
	}
}
