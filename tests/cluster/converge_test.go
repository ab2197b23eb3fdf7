package cluster

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// idStride is warren's default id stride: minted ids are ≡ slot (mod stride).
const idStride = 32

// TestCluster_WritesOnEveryNodeConverge runs inserts, updates and deletes on
// all three nodes at once, at ONE, QUORUM and ALL: the nodes end identical,
// holding exactly what the clients were acknowledged, and ids minted by
// different nodes never collide.
func TestCluster_WritesOnEveryNodeConverge(t *testing.T) {
	c := startCluster(t, 3)
	c.Nodes[0].MustExec("main", "quorum", Stmt{SQL: "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)"})
	eventuallyHasTable(t, c.Nodes, "main", "t")

	m := newModel()
	var wg sync.WaitGroup
	for _, n := range c.Nodes {
		for w := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				mixedLoad(m, n, fmt.Sprintf("%s.%d", n.Name, w), 30)
			}()
		}
	}
	wg.Wait()
	for _, err := range m.failures() {
		t.Errorf("anytime_writes_succeed_with_all_nodes_up: %v", err)
	}

	got := eventuallyConverged(t, c.Nodes, "main", "t")
	finallyExactly(t, got, m.snapshot())
	anytimeIDsInOwnSlot(t, c, m)
}

// mixedLoad inserts ops rows as worker w on n, updating every third and
// deleting every fifth of them, cycling the consistency level.
func mixedLoad(m *model, n *Node, w string, ops int) {
	var mine []int64
	for i := range ops {
		if m.enough() {
			return
		}
		level := consistencies[i%len(consistencies)]
		id, ok := m.insert(n, level, fmt.Sprintf("%s-%d", w, i))
		if !ok {
			continue
		}
		mine = append(mine, id)
		if i%3 == 2 {
			target := mine[len(mine)/2]
			v := fmt.Sprintf("%s-%d-upd", w, i)
			if _, ok := m.write(n, consistencies[(i+1)%3], "UPDATE t SET v = ? WHERE id = ?", v, target); ok {
				m.set(target, v)
			}
		}
		if i%5 == 4 {
			target := mine[0]
			mine = mine[1:]
			if _, ok := m.write(n, consistencies[(i+2)%3], "DELETE FROM t WHERE id = ?", target); ok {
				m.del(target)
			}
		}
	}
}

// anytimeIDsInOwnSlot checks that every id a node minted is ≡ its slot
// (mod stride), so no two nodes minted the same id.
func anytimeIDsInOwnSlot(t *testing.T, c *Cluster, m *model) {
	t.Helper()
	owner := map[int64]string{}
	for _, n := range c.Nodes {
		slot := slotOf(t, n)
		for _, id := range m.ids[n.Name] {
			if id%idStride != int64(slot%idStride) {
				t.Errorf("anytime_ids_in_own_slot: %s (slot %d) minted id %d", n.Name, slot, id)
			}
			if other, dup := owner[id]; dup {
				t.Errorf("anytime_ids_never_collide: id %d minted by %s and %s", id, other, n.Name)
			}
			owner[id] = n.Name
		}
	}
	if len(owner) == 0 {
		t.Fatal("no id was minted")
	}
}

// eventuallyHasTable waits until every node can read table (DDL replicated).
func eventuallyHasTable(t testing.TB, nodes []*Node, db, table string) {
	t.Helper()
	eventually(t, 15*time.Second, "eventually_schema_everywhere", func() error {
		for _, n := range nodes {
			if _, err := n.Query(db, "SELECT count(*) FROM "+table, ""); err != nil {
				return err
			}
		}
		return nil
	})
}
