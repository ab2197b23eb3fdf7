package cluster

import (
	"crypto/rand"
	"testing"
	"time"
)

// isolationWindow is how long the tests watch for something that must
// never happen: many gossip rounds and anti-entropy intervals (200 ms).
const isolationWindow = 4 * time.Second

// TestCluster_WrongSecretCannotJoin has processes with another cluster
// secret try to get in. The lone one, joining only n1, keeps trying and is
// never listed by any node. The intruder also names an accomplice of its own
// secret as a seed, so it runs and serves, and keeps knocking at n1: neither
// it nor its writes ever reach the cluster.
func TestCluster_WrongSecretCannotJoin(t *testing.T) {
	c := startCluster(t, 3)
	n1 := c.Nodes[0]
	n1.MustExec("main", "quorum", Stmt{SQL: "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)"})
	eventuallyHasTable(t, c.Nodes, "main", "t")

	other := "other-" + rand.Text()
	lone := newNode(t, "lone", c.ports, append([]string{"--node-id", "lone", "--cluster-secret", other,
		"--join", n1.GossipAddr}, fastFlags...)...)
	if _, err := lone.launch(); err != nil {
		t.Fatal(err)
	}
	lone.expectExit() // it may give up joining and exit on its own
	accomplice := newNode(t, "accomplice", c.ports, append([]string{"--node-id", "accomplice",
		"--cluster-secret", other}, fastFlags...)...)
	accomplice.Start()
	intruder := newNode(t, "intruder", c.ports, append([]string{"--node-id", "intruder", "--cluster-secret", other,
		"--join", accomplice.GossipAddr + "," + n1.GossipAddr}, fastFlags...)...)
	intruder.Start()

	marker := "intruder-" + rand.Text()
	intruder.MustExec("main", "quorum", Stmt{SQL: "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)"},
		Stmt{SQL: "INSERT INTO t(v) VALUES (?)", Params: []any{marker}})
	anytimeNotMember(t, c.Nodes, []string{"lone", "accomplice", "intruder"}, time.Now().Add(isolationWindow))
	finallyAbsent(t, c.Nodes, "main", "t", marker)
	if slots, err := aliveSlots(intruder); err != nil || len(slots) != 2 {
		t.Errorf("anytime_isolated: the intruder sees members %v (%v), want itself and the accomplice", slots, err)
	}

	if _, exited := lone.waitExit(0); exited {
		t.Logf("the lone node gave up joining:\n%s", lone.Logs())
	} else {
		lone.Kill() // SIGTERM is not honoured while joining (TestCluster_SigtermWhileJoining)
	}
}

// anytimeNotMember watches until deadline that no node lists any of ids.
func anytimeNotMember(t *testing.T, nodes []*Node, ids []string, deadline time.Time) {
	t.Helper()
	for time.Now().Before(deadline) {
		for _, n := range nodes {
			info, err := n.Cluster()
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range info.Members {
				for _, id := range ids {
					if m.NodeID == id {
						t.Fatalf("anytime_wrong_secret_not_member: %s lists %s as %s", n.Name, id, m.State)
					}
				}
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
}
