package api

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/warren-db/warren/engine"
)

// Cluster reports membership; the replication layer implements it. Its
// methods must be safe for concurrent use and must not block.
type Cluster interface {
	// NodeID returns this node's id.
	NodeID() string
	// Members returns every member this node knows, itself included.
	Members() []Member
	// RemoveMember stops counting a dead member toward quorum on every
	// node, for a node that will not come back.
	RemoveMember(nodeID string) error
}

// Member is one cluster member as seen from this node.
type Member struct {
	NodeID     string                    `json:"node_id"`
	State      string                    `json:"state"` // alive, suspect, dead or left
	Region     string                    `json:"region,omitempty"`
	Role       string                    `json:"role,omitempty"`
	Slot       int                       `json:"slot,omitempty"`
	Version    string                    `json:"version,omitempty"`
	HTTPAddr   string                    `json:"http_addr,omitempty"`
	MySQLAddr  string                    `json:"mysql_addr,omitempty"`
	QUICAddr   string                    `json:"quic_addr,omitempty"`
	GossipAddr string                    `json:"gossip_addr,omitempty"`
	LastSeen   *time.Time                `json:"last_seen,omitempty"`
	Databases  map[string]MemberDatabase `json:"databases,omitempty"`
}

// MemberDatabase is a member's replication state of one database.
type MemberDatabase struct {
	Vector        map[string]uint64 `json:"vector"`
	SchemaVersion int64             `json:"schema_version,omitempty"`
	Lag           int64             `json:"lag"` // change sets it lacks of what any member has
}

// MemberAlive is the State of a healthy member.
const MemberAlive = "alive"

// clusterJSON is the body of GET /v1/cluster.
type clusterJSON struct {
	NodeID  string   `json:"node_id"`
	Members []Member `json:"members"`
}

// cluster serves GET /v1/cluster.
func (s *Server) cluster(w http.ResponseWriter, _ *http.Request, _ *principal) error {
	if s.cfg.Cluster == nil {
		id := s.eng.NodeID()
		return writeValue(w, http.StatusOK, clusterJSON{NodeID: id, Members: []Member{{NodeID: id, State: MemberAlive}}})
	}
	members := s.cfg.Cluster.Members()
	if members == nil {
		members = []Member{}
	}
	return writeValue(w, http.StatusOK, clusterJSON{NodeID: s.cfg.Cluster.NodeID(), Members: members})
}

// removeMember serves DELETE /v1/cluster/members/{node_id}: 204. It needs
// admin on every database ("*"): quorum is the whole cluster's business.
func (s *Server) removeMember(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := p.need(RightAdmin, AllDatabases); err != nil {
		return err
	}
	id := chi.URLParam(r, "node_id")
	if s.cfg.Cluster == nil {
		return engine.Errorf(engine.CodeNotFound, "no member %q: this node runs alone", id)
	}
	if err := s.cfg.Cluster.RemoveMember(id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
