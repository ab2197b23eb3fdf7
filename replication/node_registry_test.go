package replication

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/warren-db/warren/engine"
)

// Registry records (MySQL accounts) written on one node are on the
// reachable peers when the write returns, and so are their deletions.
func TestNode_RegistryReachesPeersBeforeAnswer(t *testing.T) {
	nodes := startCluster(t, 3, testClusterOpts{antiEntropy: time.Hour})
	if err := nodes[0].eng.RegistryPut("mysql_user", "app", json.RawMessage(`{"name":"app"}`)); err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes[1:] {
		if rec, ok := n.eng.Registry("mysql_user")["app"]; !ok || string(rec.Value) != `{"name":"app"}` || rec.Origin != "n1" {
			t.Fatalf("record on %s: %+v %v", n.id, rec, ok)
		}
	}
	if err := nodes[1].eng.RegistryDelete("mysql_user", "app"); err != nil {
		t.Fatal(err)
	}
	for _, n := range []*testNode{nodes[0], nodes[2]} {
		if _, ok := n.eng.Registry("mysql_user")["app"]; ok {
			t.Fatalf("deleted record still on %s", n.id)
		}
	}
}

// A peer that missed the announcement (it was unreachable) gets the record
// by anti-entropy.
func TestNode_RegistryConvergesByAntiEntropy(t *testing.T) {
	nodes := startCluster(t, 3, testClusterOpts{})
	nodes[0].tr.Partition("n3")
	if err := nodes[0].eng.RegistryPut("mysql_user", "app", json.RawMessage(`{"name":"app"}`)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "record on n3", func() bool {
		rec, ok := nodes[2].eng.Registry("mysql_user")["app"]
		return ok && string(rec.Value) == `{"name":"app"}` && rec.Origin == "n1"
	})
}

// A database created or dropped on one node is created or dropped on the
// reachable peers when the call returns.
func TestNode_DatabaseChangesReachPeersBeforeAnswer(t *testing.T) {
	nodes := startCluster(t, 3, testClusterOpts{antiEntropy: time.Hour})
	if err := nodes[0].eng.CreateDatabase("shop"); err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes[1:] {
		if _, err := n.eng.Vector("shop"); err != nil {
			t.Fatalf("shop on %s right after its creation on n1: %v", n.id, err)
		}
	}
	if err := nodes[2].eng.DropDatabase("shop"); err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes[:2] {
		if _, err := n.eng.Vector("shop"); err == nil {
			t.Fatalf("shop still on %s after its drop on n3", n.id)
		}
	}
}

// A database this node never heard of (it was created through a peer while
// the two could not reach each other) is still dropped on the peers that
// have it when the drop returns; the drop itself answers not found here.
func TestNode_DropOfUnknownDatabaseReachesPeers(t *testing.T) {
	nodes := startCluster(t, 3, testClusterOpts{antiEntropy: time.Hour})
	nodes[0].tr.Partition("n3")
	if err := nodes[0].eng.CreateDatabase("shop"); err != nil {
		t.Fatal(err)
	}
	if _, err := nodes[2].eng.Vector("shop"); err == nil {
		t.Fatal("n3 learnt of shop through the partition")
	}
	nodes[0].tr.Heal()
	if err := nodes[2].eng.DropDatabase("shop"); engine.ErrorCode(err) != engine.CodeNotFound {
		t.Fatalf("drop of a database n3 does not have: %v", err)
	}
	for _, n := range nodes[:2] {
		if _, err := n.eng.Vector("shop"); err == nil {
			t.Fatalf("shop still on %s after its drop on n3", n.id)
		}
	}
}
