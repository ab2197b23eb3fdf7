package replication

import (
	"context"
	"fmt"
	"net/netip"
	"sync"
	"time"

	"github.com/hashicorp/memberlist"
)

// msgLeaveNotice is the kind byte of the leave notice, the only user message
// Warren sends over memberlist: kind, then the leaving node's id.
const msgLeaveNotice = 1

// leaveNoticeParallelism bounds concurrent leave notices.
const leaveNoticeParallelism = 16

// Leave departs gracefully within timeout: this node flags its metadata as
// leaving (gossiped), tells every live member directly over TCP, then sends
// memberlist's leave message. Other members then list this node as
// MemberLeft (not dead) and stop counting it toward quorum. Gossip keeps
// running until Close. The flag and the notices are best effort, each a
// second way for the news to travel: only memberlist's leave broadcast
// failing fails Leave (a starved machine may not finish retransmitting the
// flag in its half of the time, while the notices already went out).
func (m *Membership) Leave(timeout time.Duration) error {
	m.lifeMu.Lock()
	defer m.lifeMu.Unlock()
	if m.closed.Load() {
		return fmt.Errorf("leave cluster: %w", ErrMembershipClosed)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	m.metaMu.Lock()
	meta := m.meta
	m.metaMu.Unlock()
	// The leaving flag and the direct notices get half of the time; memberlist's
	// own leave broadcast always keeps at least the other half.
	flagErr := m.advertise(meta, true, timeout/2)
	notices, cancelNotices := context.WithTimeout(ctx, timeout/2)
	m.sendLeaveNotices(notices)
	cancelNotices()
	if flagErr != nil {
		m.log.Info("leaving flag not fully gossiped; the leave notices and memberlist's leave carry it", "error", flagErr)
	}
	if err := m.ml.Leave(max(time.Until(deadlineOf(ctx)), timeout/2)); err != nil {
		return fmt.Errorf("leave cluster: %w", err)
	}
	return nil
}

func deadlineOf(ctx context.Context) time.Time {
	d, _ := ctx.Deadline()
	return d
}

// sendLeaveNotices tells every other live member, in parallel and best
// effort, that this node is leaving; it returns when all were sent or ctx
// ends. Failures are only logged: gossip carries the leaving flag too.
func (m *Membership) sendLeaveNotices(ctx context.Context) {
	w := codecWriter{buf: []byte{msgLeaveNotice}}
	w.string(m.cfg.Meta.NodeID)
	var wg sync.WaitGroup
	sem := make(chan struct{}, leaveNoticeParallelism)
	for _, n := range m.livePeers() {
		wg.Add(1)
		go func(n *memberlist.Node) {
			defer wg.Done()
			if err := m.sendNotice(ctx, sem, n, w.buf); err != nil {
				m.log.Debug("leave notice not delivered", "member", n.Name, "error", err)
			}
		}(n)
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

// livePeers returns the other alive members as memberlist nodes, built from
// the member table: the nodes memberlist.Members returns are rewritten under
// memberlist's lock and cannot be read safely.
func (m *Membership) livePeers() []*memberlist.Node {
	var out []*memberlist.Node
	for _, mem := range m.table.list() {
		ap, err := netip.ParseAddrPort(mem.GossipAddr)
		if mem.State != MemberAlive || mem.NodeID == m.cfg.Meta.NodeID || err != nil {
			continue
		}
		out = append(out, &memberlist.Node{Name: mem.NodeID, Addr: ap.Addr().AsSlice(), Port: ap.Port()})
	}
	return out
}

// sendNotice sends msg to n over TCP, unless ctx ends first.
func (m *Membership) sendNotice(ctx context.Context, sem chan struct{}, n *memberlist.Node, msg []byte) error {
	select {
	case sem <- struct{}{}:
		defer func() { <-sem }()
	case <-ctx.Done():
		return ctx.Err()
	}
	return m.ml.SendReliable(n, msg)
}

// handleUserMsg applies a message from another member; unknown kinds are
// ignored (a newer node may send more).
func (m *Membership) handleUserMsg(buf []byte) {
	if len(buf) == 0 || buf[0] != msgLeaveNotice {
		return
	}
	r := codecReader{buf: buf[1:]}
	name := r.string()
	if r.err != nil || name == "" {
		m.log.Warn("ignore malformed leave notice")
		return
	}
	m.table.markLeaving(name)
}
