package replication

import (
	"time"

	"github.com/hashicorp/memberlist"
)

// pingDelegate records successful probes, from which Members derives
// MemberSuspect. It never blocks.
type pingDelegate struct {
	m *Membership
}

var _ memberlist.PingDelegate = (*pingDelegate)(nil)

// AckPayload sends nothing with acks.
func (d *pingDelegate) AckPayload() []byte { return nil }

// NotifyPingComplete records that other answered a probe.
func (d *pingDelegate) NotifyPingComplete(other *memberlist.Node, _ time.Duration, _ []byte) {
	d.m.table.acked(other.Name)
}
