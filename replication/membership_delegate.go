package replication

import (
	"github.com/hashicorp/memberlist"
)

// gossipDelegate publishes this node's metadata and, on every push/pull,
// shares the dead members this node still lists, so that a node joining
// while some member is down also counts that member toward quorum
// (memberlist itself never tells a joiner about dead nodes). It never blocks.
type gossipDelegate struct {
	m *Membership
}

var _ memberlist.Delegate = (*gossipDelegate)(nil)

// NodeMeta returns the encoded local metadata (validated to fit limit).
func (d *gossipDelegate) NodeMeta(limit int) []byte {
	b := *d.m.localMeta.Load()
	if len(b) > limit {
		return nil
	}
	return b
}

// NotifyMsg handles a user message (a leave notice).
func (d *gossipDelegate) NotifyMsg(buf []byte) { d.m.handleUserMsg(buf) }

// GetBroadcasts returns nothing: Warren broadcasts nothing of its own.
func (d *gossipDelegate) GetBroadcasts(int, int) [][]byte { return nil }

// LocalState encodes the dead members this node lists.
func (d *gossipDelegate) LocalState(bool) []byte {
	return encodeDeadState(d.m.table.dead())
}

// MergeRemoteState lists the peer's dead members that this node does not
// know, unless they are already old enough to be reaped.
func (d *gossipDelegate) MergeRemoteState(buf []byte, _ bool) {
	entries, err := decodeDeadState(buf)
	if err != nil {
		d.m.log.Warn("ignore peer membership state", "error", err)
		return
	}
	now := d.m.table.now()
	for _, e := range entries {
		if e.Since.After(now) {
			e.Since = now
		}
		if now.Sub(e.Since) >= d.m.cfg.DeadReapTimeout {
			continue
		}
		if d.m.table.addDead(e) {
			d.m.publish(EventMemberFailed, e.Member)
		}
	}
}
