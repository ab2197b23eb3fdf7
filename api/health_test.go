package api

import (
	"bytes"
	"errors"
	"net/http"
	"testing"

	"github.com/warren-db/warren/engine"
)

func TestHealth(t *testing.T) {
	ready := error(nil)
	f := newFixture(t, Config{Ready: func() error { return ready }}, nil)
	assertJSON(t, f.do("GET", "/healthz", nil).expect(t, http.StatusOK), `{"status":"ok"}`)
	assertJSON(t, f.do("GET", "/readyz", nil).expect(t, http.StatusOK), `{"status":"ready"}`)

	ready = errors.New("replication not caught up")
	res := f.do("GET", "/readyz", nil)
	res.expectError(t, http.StatusServiceUnavailable, engine.CodeUnavailable, "replication not caught up")
	if res.Header.Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
	ready = nil

	if err := f.eng.Close(); err != nil {
		t.Fatal(err)
	}
	f.do("GET", "/readyz", nil).expectError(t, http.StatusServiceUnavailable, engine.CodeUnavailable)
	f.do("GET", "/healthz", nil).expect(t, http.StatusOK)
}

func TestHealth_ReadyWithoutDatabases(t *testing.T) {
	f := newFixture(t, Config{}, func(c *engine.Config) { c.DefaultDatabase = "" })
	if n := len(f.eng.Databases()); n != 0 {
		t.Fatalf("%d databases, want none", n)
	}
	f.do("GET", "/readyz", nil).expect(t, http.StatusOK)
}

func TestHealth_ClosedServerIsNotReady(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	if err := f.srv.Close(); err != nil {
		t.Fatal(err)
	}
	f.do("GET", "/readyz", nil).expectError(t, http.StatusServiceUnavailable, engine.CodeUnavailable)
}

func TestOpenAPIServed(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	res := f.do("GET", "/openapi.yaml", nil)
	res.expect(t, http.StatusOK)
	spec, _ := specFile()
	if !bytes.Equal(res.Body, spec) {
		t.Error("/openapi.yaml differs from the file")
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/yaml" {
		t.Errorf("Content-Type %q", ct)
	}
}

// fakeCluster is a Cluster of fixed members.
type fakeCluster struct{}

func (fakeCluster) NodeID() string { return "n1" }
func (fakeCluster) Members() []Member {
	return []Member{{NodeID: "n1", State: MemberAlive}, {NodeID: "n2", State: "suspect"}, {NodeID: "n3", State: "dead"}}
}

// RemoveMember removes only dead n3, as the replication node would.
func (fakeCluster) RemoveMember(id string) error {
	switch id {
	case "n3":
		return nil
	case "n1", "n2":
		return engine.Errorf(engine.CodeInvalid, "member %q is alive", id)
	}
	return engine.Errorf(engine.CodeNotFound, "no member %q", id)
}

func TestCluster(t *testing.T) {
	t.Run("single node", func(t *testing.T) {
		f := newFixture(t, Config{}, nil)
		body := f.do("GET", "/v1/cluster", nil).expect(t, http.StatusOK)
		id := f.eng.NodeID()
		if id == "" || body["node_id"] != id {
			t.Fatalf("node_id %v, want %q", body["node_id"], id)
		}
		assertJSON(t, body["members"], `[{"node_id":"`+id+`","state":"alive"}]`)
	})
	t.Run("from the Cluster", func(t *testing.T) {
		f := newFixture(t, Config{Cluster: fakeCluster{}}, nil)
		body := f.do("GET", "/v1/cluster", nil).expect(t, http.StatusOK)
		assertJSON(t, body, `{"members":[{"node_id":"n1","state":"alive"},{"node_id":"n2","state":"suspect"},{"node_id":"n3","state":"dead"}],"node_id":"n1"}`)
	})
}

func TestCluster_RemoveMember(t *testing.T) {
	f := newFixture(t, Config{Cluster: fakeCluster{}, Tokens: []Token{
		{Name: "admin", Token: "admin-all", Rights: map[string]Right{AllDatabases: RightAdmin}},
		{Name: "main-admin", Token: "admin-main", Rights: map[string]Right{"main": RightAdmin}},
	}}, nil)
	f.do("DELETE", "/v1/cluster/members/n3", nil).expectError(t, http.StatusUnauthorized, engine.CodeUnauthorized)
	f.as("admin-main").do("DELETE", "/v1/cluster/members/n3", nil).expectError(t, http.StatusForbidden, engine.CodeForbidden)
	admin := f.as("admin-all")
	admin.do("DELETE", "/v1/cluster/members/n3", nil).expect(t, http.StatusNoContent)
	admin.do("DELETE", "/v1/cluster/members/n2", nil).expectError(t, http.StatusBadRequest, engine.CodeInvalid)
	admin.do("DELETE", "/v1/cluster/members/n9", nil).expectError(t, http.StatusNotFound, engine.CodeNotFound)

	alone := newFixture(t, Config{}, nil)
	alone.do("DELETE", "/v1/cluster/members/n3", nil).expectError(t, http.StatusNotFound, engine.CodeNotFound)
}
