package replication

import (
	"encoding/json"
	"testing"
	"time"
)

// Registry records (MySQL accounts) written on one node reach the others by
// anti-entropy, and so do their deletions.
func TestNode_RegistryConvergesByAntiEntropy(t *testing.T) {
	nodes := startCluster(t, 3, testClusterOpts{})
	if err := nodes[0].eng.RegistryPut("mysql_user", "app", json.RawMessage(`{"name":"app"}`)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "record on n3", func() bool {
		rec, ok := nodes[2].eng.Registry("mysql_user")["app"]
		return ok && string(rec.Value) == `{"name":"app"}` && rec.Origin == "n1"
	})
	if err := nodes[1].eng.RegistryDelete("mysql_user", "app"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "deletion on n1 and n3", func() bool {
		_, on1 := nodes[0].eng.Registry("mysql_user")["app"]
		_, on3 := nodes[2].eng.Registry("mysql_user")["app"]
		return !on1 && !on3
	})
}
