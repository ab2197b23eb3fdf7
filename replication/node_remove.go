package replication

import (
	"encoding/json"
	"fmt"

	"github.com/warren-db/warren/engine"
)

// registryRemoved is the registry kind of members an operator removed. The
// registry replicates it, so every node stops counting them.
const registryRemoved = "removed_member"

// RemoveMember stops counting a dead member toward quorum, on every node:
// for a node that will not come back. This node, live members and suspect
// ones cannot be removed. A removed node that comes back is a member again.
func (n *Node) RemoveMember(id string) error {
	if id == n.self {
		return engine.Errorf(engine.CodeInvalid, "a node cannot remove itself: stop it, and it leaves the cluster")
	}
	m, ok := n.voter(id)
	switch {
	case !ok:
		return engine.Errorf(engine.CodeNotFound, "no member %q", id)
	case m.State == MemberAlive || m.State == MemberSuspect:
		return engine.Errorf(engine.CodeInvalid, "member %q is %s: stop it first (a graceful stop leaves the cluster by itself)", id, m.State)
	}
	value, _ := json.Marshal(map[string]string{"removed_by": n.self})
	if err := n.eng.RegistryPut(registryRemoved, id, value); err != nil {
		return fmt.Errorf("remove member: %w", err)
	}
	n.log.Info("member removed: it no longer counts toward quorum", "member", id, "was", m.State)
	return nil
}

// voter returns the voter with node id among those counting toward quorum.
func (n *Node) voter(id string) (Member, bool) {
	for _, m := range n.voters() {
		if m.NodeID == id {
			return m, true
		}
	}
	return Member{}, false
}

// removedSet returns the members an operator removed.
func (n *Node) removedSet() map[string]bool {
	recs := n.eng.Registry(registryRemoved)
	out := make(map[string]bool, len(recs))
	for id := range recs {
		out[id] = true
	}
	return out
}

// isRemoved reports whether m is a removed member that has not come back.
func isRemoved(m Member, removed map[string]bool) bool {
	return removed[m.NodeID] && m.State != MemberAlive && m.State != MemberSuspect
}

// readmitReturned deletes the removal of members that are alive again, so
// that they count as usual if they fail later.
func (n *Node) readmitReturned() {
	removed := n.removedSet()
	if len(removed) == 0 {
		return
	}
	for _, m := range n.mem.Members() {
		if removed[m.NodeID] && m.State == MemberAlive {
			if err := n.eng.RegistryDelete(registryRemoved, m.NodeID); err != nil {
				n.log.Warn("readmit a removed member", "member", m.NodeID, "err", err)
				continue
			}
			n.log.Info("removed member is back: it counts toward quorum again", "member", m.NodeID)
		}
	}
}
