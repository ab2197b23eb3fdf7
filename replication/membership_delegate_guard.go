package replication

import (
	"errors"
	"fmt"

	"github.com/hashicorp/memberlist"
)

// ErrDuplicateNodeID reports a node whose id is already used by another live
// member at a different address.
var ErrDuplicateNodeID = errors.New("node id already in use")

// aliveDelegate ignores nodes whose metadata this build cannot read (another
// metadata format), so they never enter the member list.
type aliveDelegate struct {
	m *Membership
}

var _ memberlist.AliveDelegate = (*aliveDelegate)(nil)

// NotifyAlive rejects peers with unreadable metadata.
func (d *aliveDelegate) NotifyAlive(peer *memberlist.Node) error {
	if _, err := decodeMeta(peer.Name, peer.Meta); err != nil {
		return fmt.Errorf("node %q: %w", peer.Name, err)
	}
	return nil
}

// mergeDelegate vets the member list exchanged when a node joins, on both
// sides of the join: it refuses unreadable metadata and node ids that a live
// member already uses at another address. A refusal fails the join.
type mergeDelegate struct {
	m *Membership
}

var _ memberlist.MergeDelegate = (*mergeDelegate)(nil)

// NotifyMerge returns an error when the join must not happen.
func (d *mergeDelegate) NotifyMerge(peers []*memberlist.Node) error {
	for _, p := range peers {
		if _, err := decodeMeta(p.Name, p.Meta); err != nil {
			return fmt.Errorf("refuse join: node %q: %w", p.Name, err)
		}
		if err := d.checkDuplicate(p); err != nil {
			return err
		}
	}
	return nil
}

func (d *mergeDelegate) checkDuplicate(p *memberlist.Node) error {
	if p.State != memberlist.StateAlive && p.State != memberlist.StateSuspect {
		return nil
	}
	known, ok := d.m.table.get(p.Name)
	if !ok || known.State != MemberAlive || known.GossipAddr == p.Address() {
		return nil
	}
	err := fmt.Errorf("refuse join: node id %q at %s is already used by a live member at %s: %w",
		p.Name, p.Address(), known.GossipAddr, ErrDuplicateNodeID)
	if p.Name == d.m.cfg.Meta.NodeID {
		err = fmt.Errorf("join cluster: node id %q is already used by a live member at %s: %w",
			p.Name, p.Address(), ErrDuplicateNodeID)
		d.m.recordConflict(err)
	}
	d.m.log.Error("node id conflict", "node_id", p.Name, "existing", known.GossipAddr, "other", p.Address())
	return err
}

// conflictDelegate logs gossip that claims a known live node id from another
// address; memberlist ignores such claims.
type conflictDelegate struct {
	m *Membership
}

var _ memberlist.ConflictDelegate = (*conflictDelegate)(nil)

// NotifyConflict logs the conflict; it must not block.
func (d *conflictDelegate) NotifyConflict(existing, other *memberlist.Node) {
	d.m.log.Error("node id conflict: ignoring second node with the same id",
		"node_id", existing.Name, "existing", existing.Address(), "other", other.Address(),
		"is_local", existing.Name == d.m.cfg.Meta.NodeID)
}

// recordConflict remembers that a join found this node's id taken.
func (m *Membership) recordConflict(err error) {
	m.conflictMu.Lock()
	defer m.conflictMu.Unlock()
	if m.conflict == nil {
		m.conflict = err
	}
}

// takeConflict returns and clears the recorded id conflict.
func (m *Membership) takeConflict() error {
	m.conflictMu.Lock()
	defer m.conflictMu.Unlock()
	err := m.conflict
	m.conflict = nil
	return err
}
