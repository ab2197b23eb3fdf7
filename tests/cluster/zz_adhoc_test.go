package cluster

import (
	"os/exec"
	"testing"
	"time"
)

func TestAdhocFrozenPeers(t *testing.T) {
	for round := range 15 {
		c := startCluster(t, 3)
		n1, n2, n3 := c.Nodes[0], c.Nodes[1], c.Nodes[2]
		n1.MustExec("main", "quorum", Stmt{SQL: "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)"})
		eventuallyHasTable(t, c.Nodes, "main", "t")
		n2.MustExec("main", "quorum", Stmt{SQL: "INSERT INTO t(v) VALUES ('a')"})
		eventuallyConverged(t, c.Nodes, "main", "t")
		n1.Pause()
		n3.Pause()
		start := time.Now()
		res, err := n2.Exec("main", "quorum", Stmt{SQL: "INSERT INTO t(v) VALUES ('b')"})
		took := time.Since(start)
		if res.Status == 200 {
			info, _ := n2.Cluster()
			t.Logf("round %d: frozen peers, QUORUM on n2 -> %d after %s %+v %v; n2 sees %+v", round, res.Status, took, res.Error, err, info.Members)
			out, _ := exec.Command("sh", "-c", "cp -r "+n1.DataDir+" /tmp/evidence-n1; cp -r "+n2.DataDir+" /tmp/evidence-n2; cp -r "+n3.DataDir+" /tmp/evidence-n3; ps -o pid,stat,cmd -p $(pgrep -d, -f "+n1.DataDir+")").CombinedOutput()
			t.Logf("%s", out)
			t.Fatal("anomaly")
		}
		t.Logf("round %d: %d after %s", round, res.Status, took)
		n1.Resume()
		n3.Resume()
		for _, n := range c.Nodes {
			n.Stop()
		}
	}
}
