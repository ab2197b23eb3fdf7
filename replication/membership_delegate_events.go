package replication

import (
	"github.com/hashicorp/memberlist"
)

// eventDelegate turns memberlist's join/leave/update callbacks into table
// updates and queued events. memberlist calls it with its node lock held, so
// it must never block nor call back into memberlist.
type eventDelegate struct {
	m *Membership
}

var _ memberlist.EventDelegate = (*eventDelegate)(nil)

// NotifyJoin records a member that became alive.
func (d *eventDelegate) NotifyJoin(n *memberlist.Node) {
	meta, _ := d.m.nodeMeta(n)
	d.m.publish(EventMemberJoin, d.m.table.set(meta, n.Meta, n.Address()))
}

// NotifyUpdate records new metadata of a live member.
func (d *eventDelegate) NotifyUpdate(n *memberlist.Node) {
	meta, _ := d.m.nodeMeta(n)
	d.m.publish(EventMemberUpdate, d.m.table.set(meta, n.Meta, n.Address()))
}

// NotifyLeave records a member that is gone. memberlist does not say whether
// it left or failed (Node.State is not maintained), so a member that said it
// was leaving (metadata flag or leave notice) left; any other failed. The
// member stays listed either way.
func (d *eventDelegate) NotifyLeave(n *memberlist.Node) {
	meta, flags := d.m.nodeMeta(n)
	member := d.m.table.gone(meta, n.Meta, n.Address(), flags&metaFlagLeaving != 0)
	typ := EventMemberFailed
	if member.State == MemberLeft {
		typ = EventMemberLeave
	}
	d.m.publish(typ, member)
}
