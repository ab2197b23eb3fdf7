package cluster

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"
)

// TestCluster_CreateDatabaseReplicates creates database shop on n1: n3
// eventually lists it and accepts writes to it, which reach n1.
func TestCluster_CreateDatabaseReplicates(t *testing.T) {
	c := startCluster(t, 3)
	n1, n3 := c.Nodes[0], c.Nodes[2]
	var created struct {
		Name string `json:"name"`
	}
	status, err := n1.call("POST", "/v1/databases", map[string]any{"name": "shop"}, &created)
	if err != nil || status != http.StatusCreated || created.Name != "shop" {
		t.Fatalf("create database on n1: %d %+v %v", status, created, err)
	}
	eventually(t, 15*time.Second, "eventually_database_everywhere", func() error {
		for _, n := range c.Nodes {
			if list, err := databasesOf(n); err != nil || !slices.Contains(list, "shop") {
				return fmt.Errorf("%s lists %v (%v)", n.Name, list, err)
			}
		}
		return nil
	})

	n3.MustExec("shop", "quorum", Stmt{SQL: "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)"})
	res := n3.MustExec("shop", "quorum", Stmt{SQL: "INSERT INTO t(v) VALUES ('first order')"})
	got := eventuallyConverged(t, c.Nodes, "shop", "t")
	finallyExactly(t, got, map[int64]string{res.Results[0].LastInsertID: "first order"})
}

// databasesOf returns the names GET /v1/databases lists on n.
func databasesOf(n *Node) ([]string, error) {
	var out struct {
		Databases []struct {
			Name string `json:"name"`
		} `json:"databases"`
	}
	status, err := n.call("GET", "/v1/databases", nil, &out)
	if err == nil && status != http.StatusOK {
		err = fmt.Errorf("GET /v1/databases on %s: status %d", n.Name, status)
	}
	names := make([]string, len(out.Databases))
	for i, d := range out.Databases {
		names[i] = d.Name
	}
	return names, err
}
