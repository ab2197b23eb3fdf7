package cluster

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
)

// TestCluster_CreateDatabaseReplicates creates database shop on n1: every
// node lists it when the call returns, and n3 accepts writes to it, which
// reach n1. A drop on n2 is everywhere when it returns.
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
	for _, n := range c.Nodes {
		if list, err := databasesOf(n); err != nil || !slices.Contains(list, "shop") {
			t.Fatalf("right after the create on n1, %s lists %v (%v)", n.Name, list, err)
		}
	}

	n3.MustExec("shop", "quorum", Stmt{SQL: "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)"})
	res := n3.MustExec("shop", "quorum", Stmt{SQL: "INSERT INTO t(v) VALUES ('first order')"})
	got := eventuallyConverged(t, c.Nodes, "shop", "t")
	finallyExactly(t, got, map[int64]string{res.Results[0].LastInsertID: "first order"})

	if status, err := c.Nodes[1].call("DELETE", "/v1/databases/shop", nil, nil); err != nil || status/100 != 2 {
		t.Fatalf("drop database on n2: %d %v", status, err)
	}
	for _, n := range c.Nodes {
		if list, err := databasesOf(n); err != nil || slices.Contains(list, "shop") {
			t.Fatalf("right after the drop on n2, %s lists %v (%v)", n.Name, list, err)
		}
	}
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
