package replication

import (
	"context"
	"sync"
	"time"

	"github.com/warren-db/warren/engine"
)

// MemberStatus is a member as this node sees it, with its replication state.
type MemberStatus struct {
	Member
	LastSeen  time.Time // zero if its status was never read
	Databases map[string]DatabaseStatus
}

// DatabaseStatus is a member's replication state of one database.
type DatabaseStatus struct {
	Vector        engine.Vector
	SchemaVersion int64
	Lag           int64 // change sets it lacks of what any member has
}

// statusCache keeps the last status read from each peer.
type statusCache struct {
	mu   sync.Mutex
	byID map[string]seenStatus
}

type seenStatus struct {
	st statusResp
	at time.Time
}

func (c *statusCache) put(st statusResp) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byID == nil {
		c.byID = map[string]seenStatus{}
	}
	c.byID[st.NodeID] = seenStatus{st: st, at: time.Now()}
}

func (c *statusCache) get(id string) (seenStatus, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.byID[id]
	return s, ok
}

// statusRound reads every reachable peer's status for the cluster view.
func (n *Node) statusRound(ctx context.Context) {
	for _, p := range n.peers() {
		var st statusResp
		if err := n.call(ctx, p, kindStatus, struct{}{}, &st); err == nil {
			n.status.put(st)
		}
	}
}

// Members returns every known member but removed ones, with its last known
// replication state. It never blocks on the network.
func (n *Node) Members() []MemberStatus {
	n.status.put(n.localStatus(n.ctx))
	members, removed := n.mem.Members(), n.removedSet()
	out := make([]MemberStatus, 0, len(members))
	best := map[string]engine.Vector{}
	for _, m := range members {
		if isRemoved(m, removed) {
			continue
		}
		ms := MemberStatus{Member: m}
		if s, ok := n.status.get(m.NodeID); ok {
			ms.LastSeen = s.at
			ms.Databases = map[string]DatabaseStatus{}
			for db, d := range s.st.Databases {
				ms.Databases[db] = DatabaseStatus{Vector: d.Vector, SchemaVersion: d.SchemaVersion}
				if best[db] == nil {
					best[db] = engine.Vector{}
				}
				for o, seq := range d.Vector {
					best[db][o] = max(best[db][o], seq)
				}
			}
		}
		out = append(out, ms)
	}
	for i := range out {
		for db, d := range out[i].Databases {
			for o, seq := range best[db] {
				d.Lag += int64(seq - d.Vector[o])
			}
			out[i].Databases[db] = d
		}
	}
	return out
}

// NodeID returns this node's id.
func (n *Node) NodeID() string { return n.self }
