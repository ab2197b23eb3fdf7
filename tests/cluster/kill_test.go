package cluster

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestCluster_KillNineDuringLoadAndRestart crashes n3 with kill -9 while n1
// and n2 take QUORUM writes, keeps writing (2 of 3 is a quorum), restarts n3
// on its data dir, and expects every node to end with exactly the writes the
// clients were acknowledged.
func TestCluster_KillNineDuringLoadAndRestart(t *testing.T) {
	c := startCluster(t, 3)
	n1, n2, n3 := c.Nodes[0], c.Nodes[1], c.Nodes[2]
	n1.MustExec("main", "quorum", Stmt{SQL: "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)"})
	eventuallyHasTable(t, c.Nodes, "main", "t")

	const perWriter = 40
	m := newModel()
	var wg sync.WaitGroup
	for _, n := range []*Node{n1, n2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			insertLoad(m, n, "quorum", perWriter)
		}()
	}
	eventually(t, 60*time.Second, "eventually_load_half_done", func() error {
		if k := m.count(); k < perWriter && !m.enough() {
			return fmt.Errorf("%d inserts acknowledged so far", k)
		}
		return nil
	})
	n3.Kill()
	wg.Wait()
	for _, err := range m.failures() {
		t.Errorf("anytime_quorum_survives_one_crash: %v", err)
	}

	n3.Start()
	got := eventuallyConverged(t, c.Nodes, "main", "t")
	finallyExactly(t, got, m.snapshot())
}

// insertLoad inserts ops rows on n at one level, updating every fourth row
// it inserted before; acknowledged writes go into m.
func insertLoad(m *model, n *Node, level string, ops int) {
	var mine []int64
	for i := range ops {
		if m.enough() {
			return
		}
		id, ok := m.insert(n, level, fmt.Sprintf("%s-%d", n.Name, i))
		if !ok {
			continue
		}
		mine = append(mine, id)
		if i%4 == 3 {
			target, v := mine[len(mine)/2], fmt.Sprintf("%s-%d-upd", n.Name, i)
			if _, ok := m.write(n, level, "UPDATE t SET v = ? WHERE id = ?", v, target); ok {
				m.set(target, v)
			}
		}
	}
}
