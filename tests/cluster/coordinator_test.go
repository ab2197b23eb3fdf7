package cluster

import (
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// prepareWindow is how long the test lets a coordinator run before it
// crashes it: ample time to send its PREPAREs even on a busy machine, and
// half of --prepare-timeout (2 s), so it cannot have given up yet.
const prepareWindow = time.Second

// resolveTimeout bounds how long a staged set whose outcome never arrived
// may stay staged: warren asks the origin once the set is max(3 × prepare
// timeout, 15 s) old, checking every third of that; the rest is slack for a
// loaded machine.
const resolveTimeout = 60 * time.Second

// TestCluster_CoordinatorCrashBetweenPhases freezes n1 and n3, starts a
// QUORUM write on n2 (its PREPAREs wait in the frozen peers' sockets) and
// kills n2 before it hears back. The peers resume and stage the set; n2
// restarts without it (it never committed). The peers then ask n2 and drop
// the set: the crashed write happens on no node. n2 writes again at ONE,
// reusing the sequence number, and every node ends with exactly the
// acknowledged writes.
func TestCluster_CoordinatorCrashBetweenPhases(t *testing.T) {
	c := startCluster(t, 3)
	// The coordinator is n2: restarted, it rejoins through its seed n1.
	n1, n2, n3 := c.Nodes[0], c.Nodes[1], c.Nodes[2]
	n1.MustExec("main", "quorum", Stmt{SQL: "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)"})
	eventuallyHasTable(t, c.Nodes, "main", "t")
	m := newModel()
	if _, ok := m.insert(n2, "quorum", "before-crash"); !ok {
		t.Fatal(m.failures())
	}
	eventuallyConverged(t, c.Nodes, "main", "t")

	n1.Pause()
	n3.Pause()
	view, err := n2.Cluster() // for the failure message below
	marker := "crashed-coordinator-" + rand.Text()
	answer := make(chan ExecResult, 1)
	go func() {
		res, _ := n2.Exec("main", "quorum", Stmt{SQL: "INSERT INTO t(v) VALUES (?)", Params: []any{marker}})
		answer <- res // status 0: the connection broke
	}()
	time.Sleep(prepareWindow) // fault timing, not an assertion
	n2.Kill()
	switch res := <-answer; res.Status {
	case 0:
	case http.StatusOK:
		n1.Resume()
		n3.Resume()
		t.Fatalf("anytime_quorum_needs_acks: a QUORUM write was acknowledged while both peers were frozen: "+
			"answer %+v; staged on n1 %d, n3 %d; n2's view of the cluster before the write: %+v (%v)",
			res, stagedCount(t, n1), stagedCount(t, n3), view, err)
	default:
		t.Fatalf("the write was answered %d before the crash: the test's timing is off", res.Status)
	}
	n1.Resume()
	n3.Resume()
	eventually(t, 10*time.Second, "precondition: a peer staged the crashed write", func() error {
		if stagedCount(t, n1)+stagedCount(t, n3) == 0 {
			return fmt.Errorf("no staged set on n1 or n3")
		}
		return nil
	})
	n2.Start()

	eventually(t, resolveTimeout, "eventually_staged_sets_resolved", func() error {
		for _, n := range c.Nodes {
			if k := stagedCount(t, n); k != 0 {
				return fmt.Errorf("%s holds %d staged sets", n.Name, k)
			}
		}
		return nil
	})
	finallyAbsent(t, c.Nodes, "main", "t", marker)
	if !strings.Contains(n1.Logs()+n3.Logs(), "resolved staged set") {
		t.Errorf("the staged sets went away but no peer logged resolving them from their origin")
	}

	for i := range 3 {
		if _, ok := m.insert(n2, "one", fmt.Sprintf("after-crash-%d", i)); !ok {
			t.Fatal(m.failures())
		}
	}
	got := eventuallyConverged(t, c.Nodes, "main", "t")
	finallyAbsent(t, c.Nodes, "main", "t", marker)
	finallyExactly(t, got, m.snapshot())
}

// stagedCount returns how many change sets n holds staged for other nodes'
// writes to main, from the warren_staged_change_sets gauge of GET /metrics.
func stagedCount(t *testing.T, n *Node) int64 {
	t.Helper()
	resp, err := n.client.Get(n.URL() + "/metrics")
	if err != nil {
		t.Fatalf("read metrics of %s: %v", n.Name, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("read metrics of %s: status %d, %v", n.Name, resp.StatusCode, err)
	}
	const gauge = `warren_staged_change_sets{db="main"} `
	for line := range strings.Lines(string(body)) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), gauge); ok {
			k, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				t.Fatalf("metrics of %s: bad gauge %q", n.Name, line)
			}
			return k
		}
	}
	t.Fatalf("metrics of %s have no %s: %s", n.Name, strings.TrimSpace(gauge), body)
	return 0
}
