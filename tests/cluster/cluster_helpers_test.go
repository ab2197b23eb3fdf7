package cluster

import (
	"crypto/rand"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// formTimeout bounds how long a new cluster takes to see all its members.
const formTimeout = 30 * time.Second

// fastFlags shrink Warren's timers so that the tests run in seconds.
var fastFlags = []string{"--anti-entropy-interval", "200ms", "--prepare-timeout", "2s"}

// Cluster is a set of nodes that joined the first one.
type Cluster struct {
	t      testing.TB
	Nodes  []*Node
	ports  *ports
	secret string
	extra  []string // flags every node gets
}

// newCluster prepares an empty cluster with its own secret; extra flags go
// to every node.
func newCluster(t testing.TB, extra ...string) *Cluster {
	return &Cluster{t: t, ports: newPorts(), secret: "test-" + rand.Text(), extra: append(slices.Clone(fastFlags), extra...)}
}

// startCluster starts size nodes: n1 first, the others joining it at the
// same time, and waits until every node sees every member alive with its
// own id slot.
func startCluster(t testing.TB, size int, extra ...string) *Cluster {
	t.Helper()
	c := newCluster(t, extra...)
	c.Nodes = append(c.Nodes, c.newNode())
	c.Nodes[0].Start()
	joiners := make([]*Node, 0, size-1)
	for range size - 1 {
		n := c.newNode()
		c.Nodes = append(c.Nodes, n)
		joiners = append(joiners, n)
	}
	c.startAll(joiners...)
	c.eventuallyFormed(c.Nodes...)
	return c
}

// newNode prepares the next node (n1, n2, ...); every node but the first
// joins the first.
func (c *Cluster) newNode(extra ...string) *Node {
	name := fmt.Sprintf("n%d", len(c.Nodes)+1)
	args := append([]string{"--node-id", name, "--cluster-secret", c.secret}, c.extra...)
	if len(c.Nodes) > 0 {
		args = append(args, "--join", c.Nodes[0].GossipAddr)
	}
	return newNode(c.t, name, c.ports, append(args, extra...)...)
}

// addNode starts one more node that joins the cluster and waits until all
// members see each other.
func (c *Cluster) addNode(extra ...string) *Node {
	c.t.Helper()
	n := c.newNode(extra...)
	c.Nodes = append(c.Nodes, n)
	n.Start()
	c.eventuallyFormed(c.Nodes...)
	return n
}

// startAll starts nodes concurrently and waits until each is ready.
func (c *Cluster) startAll(nodes ...*Node) {
	c.t.Helper()
	errs := make(chan error, len(nodes))
	for _, n := range nodes {
		go func() {
			if err := n.start(); err != nil {
				errs <- fmt.Errorf("start %s: %w", n.Name, err)
				return
			}
			errs <- nil
		}()
	}
	for range nodes {
		if err := <-errs; err != nil {
			c.t.Fatal(err)
		}
	}
}

// eventuallyFormed waits until each of nodes lists all of them alive, each
// with the same non-zero id slot everywhere, and no two with the same slot
// (ids minted on different nodes never collide).
func (c *Cluster) eventuallyFormed(nodes ...*Node) {
	c.t.Helper()
	eventually(c.t, formTimeout, "eventually_cluster_formed", func() error {
		var first map[string]int
		for _, n := range nodes {
			slots, err := aliveSlots(n)
			if err != nil {
				return err
			}
			for _, m := range nodes {
				if _, ok := slots[m.Name]; !ok {
					return fmt.Errorf("%s does not list %s alive: %v", n.Name, m.Name, slots)
				}
			}
			if err := distinctSlots(slots); err != nil {
				return fmt.Errorf("%s: %w", n.Name, err)
			}
			if first == nil {
				first = slots
			} else if fmt.Sprint(first) != fmt.Sprint(slots) {
				return fmt.Errorf("slots differ: %s sees %v, %s sees %v", nodes[0].Name, first, n.Name, slots)
			}
		}
		return nil
	})
}

// aliveSlots returns the id slot of every member n sees alive.
func aliveSlots(n *Node) (map[string]int, error) {
	info, err := n.Cluster()
	if err != nil {
		return nil, err
	}
	slots := map[string]int{}
	for _, m := range info.Members {
		if m.State == "alive" {
			slots[m.NodeID] = m.Slot
		}
	}
	return slots, nil
}

// distinctSlots fails unless every slot is set and used once.
func distinctSlots(slots map[string]int) error {
	owner := map[int]string{}
	for id, s := range slots {
		if s <= 0 {
			return fmt.Errorf("member %s has no id slot yet", id)
		}
		if other, dup := owner[s]; dup {
			return fmt.Errorf("members %s and %s share id slot %d", other, id, s)
		}
		owner[s] = id
	}
	return nil
}

// slotOf returns n's id slot as n reports it.
func slotOf(t testing.TB, n *Node) int {
	t.Helper()
	slots, err := aliveSlots(n)
	if err != nil {
		t.Fatal(err)
	}
	return slots[n.Name]
}

// names lists node names for messages.
func names(nodes []*Node) string {
	s := make([]string, len(nodes))
	for i, n := range nodes {
		s[i] = n.Name
	}
	return strings.Join(s, ",")
}
