package replication

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/memberlist"
)

// ErrMembershipClosed is returned by methods called after Close.
var ErrMembershipClosed = errors.New("membership closed")

// Membership is this node's gossip membership: it advertises the local Meta,
// tracks every member (dead ones included, until reaped) and reports changes
// on Events. It wraps hashicorp/memberlist the way serf does: private
// delegates, versioned metadata, events into a channel. Its methods are safe
// for concurrent use.
type Membership struct {
	cfg    MembershipConfig
	log    *slog.Logger
	ml     *memberlist.Memberlist
	table  *memberTable
	events *eventQueue

	metaMu    sync.Mutex             // serializes metadata changes; guards meta and leaving
	meta      Meta                   // local metadata as configured or last updated
	leaving   bool                   // Leave has started
	localMeta atomic.Pointer[[]byte] // encoded meta and flags, read by NodeMeta

	conflictMu sync.Mutex
	conflict   error // set when a join finds our node id taken

	probeInterval, probeTimeout time.Duration // memberlist's failure detector timers
	gossipAddr                  string        // advertised gossip host:port

	lifeMu sync.Mutex // serializes Leave and Close
	closed atomic.Bool
	done   chan struct{}
	wg     sync.WaitGroup
}

// NewMembership starts gossip on cfg.BindAddr and joins the seeds in
// cfg.Join, retrying for up to JoinTimeout while none answers. With no seeds
// (or only this node's own address) it starts a new cluster. It fails if the
// node id is already used by a live member.
func NewMembership(cfg MembershipConfig) (*Membership, error) {
	return NewMembershipContext(context.Background(), cfg)
}

// NewMembershipContext is NewMembership with a context that can end the
// initial join early (a node told to stop while it is still joining).
func NewMembershipContext(ctx context.Context, cfg MembershipConfig) (*Membership, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	enc, err := encodeMeta(cfg.Meta, 0)
	if err != nil {
		return nil, fmt.Errorf("create membership: %w", err)
	}
	cfg.Logger = cfg.Logger.With("component", "membership", "node_id", cfg.Meta.NodeID)
	m := &Membership{
		cfg:    cfg,
		log:    cfg.Logger,
		table:  newMemberTable(cfg.Meta.NodeID, time.Now),
		events: newEventQueue(cfg.EventBuffer),
		done:   make(chan struct{}),
		meta:   cfg.Meta,
	}
	m.localMeta.Store(&enc)
	if err := m.start(); err != nil {
		return nil, err
	}
	if len(cfg.Join) > 0 && !cfg.JoinInBackground {
		if err := m.Join(ctx, cfg.Join); err != nil {
			_ = m.Close()
			return nil, err
		}
	}
	m.wg.Add(2)
	go m.reapLoop()
	go m.rejoinLoop()
	if len(cfg.Join) > 0 && cfg.JoinInBackground {
		go m.rejoin() // first attempt now; rejoinLoop keeps trying
	}
	return m, nil
}

// start creates the memberlist with Warren's delegates installed.
func (m *Membership) start() error {
	mc, err := m.cfg.memberlistConfig()
	if err != nil {
		return fmt.Errorf("create membership: %w", err)
	}
	mc.Delegate = &gossipDelegate{m: m}
	mc.Events = &eventDelegate{m: m}
	mc.Conflict = &conflictDelegate{m: m}
	mc.Merge = &mergeDelegate{m: m}
	mc.Alive = &aliveDelegate{m: m}
	mc.Ping = &pingDelegate{m: m}
	m.probeInterval, m.probeTimeout = mc.ProbeInterval, mc.ProbeTimeout
	if m.ml, err = memberlist.Create(mc); err != nil {
		return fmt.Errorf("start gossip on %s: %w", m.cfg.BindAddr, err)
	}
	// Read once: memberlist rewrites its local node (racily for readers of
	// LocalNode) on every metadata update, but never changes the address.
	m.gossipAddr = m.ml.LocalNode().Address()
	return nil
}

// GossipAddr returns the advertised gossip host:port (the real port when
// BindAddr asked for port 0).
func (m *Membership) GossipAddr() string {
	return m.gossipAddr
}

// Events returns the channel of member changes. It is buffered
// (EventBuffer); when the consumer falls behind the oldest events are
// dropped, never blocking gossip, so treat events as hints and read Members
// for the full picture. The channel is closed by Close.
func (m *Membership) Events() <-chan MemberEvent {
	return m.events.ch
}

// UpdateMeta replaces the local metadata and broadcasts it, waiting up to
// BroadcastTimeout for the broadcast to go out. The node id cannot change;
// an empty NodeID keeps the current one.
func (m *Membership) UpdateMeta(meta Meta) error {
	if meta.NodeID == "" {
		meta.NodeID = m.cfg.Meta.NodeID
	}
	if meta.NodeID != m.cfg.Meta.NodeID {
		return fmt.Errorf("update node metadata: node id cannot change from %q to %q", m.cfg.Meta.NodeID, meta.NodeID)
	}
	if err := m.advertise(meta.normalized(), false, m.cfg.BroadcastTimeout); err != nil {
		return fmt.Errorf("update node metadata: %w", err)
	}
	return nil
}

// advertise encodes meta (with the leaving flag once leaving is set, which
// is never unset) and broadcasts it.
func (m *Membership) advertise(meta Meta, leaving bool, timeout time.Duration) error {
	m.metaMu.Lock()
	defer m.metaMu.Unlock()
	leaving = leaving || m.leaving
	var flags uint64
	if leaving {
		flags = metaFlagLeaving
	}
	enc, err := encodeMeta(meta, flags)
	if err != nil {
		return err
	}
	if m.closed.Load() {
		return ErrMembershipClosed
	}
	m.meta, m.leaving = meta, leaving
	m.localMeta.Store(&enc)
	return m.ml.UpdateNode(timeout)
}

// Close stops gossip and closes the Events channel. Without a prior Leave,
// the other members see this node fail (Suspect, then Dead). Close is
// idempotent.
func (m *Membership) Close() error {
	m.lifeMu.Lock()
	defer m.lifeMu.Unlock()
	if m.closed.Swap(true) {
		return nil
	}
	close(m.done)
	m.wg.Wait()
	err := m.ml.Shutdown()
	m.events.close()
	if err != nil {
		return fmt.Errorf("close membership: %w", err)
	}
	return nil
}

// nodeMeta decodes a node's gossiped metadata and flags; unreadable
// metadata (which the alive delegate normally keeps out) leaves only the
// node id.
func (m *Membership) nodeMeta(n *memberlist.Node) (Meta, uint64) {
	meta, flags, err := decodeMetaFlags(n.Name, n.Meta)
	if err != nil {
		m.log.Warn("unreadable member metadata", "member", n.Name, "error", err)
		return Meta{NodeID: n.Name}, 0
	}
	return meta, flags
}

// publish logs a member change and queues its event without blocking.
func (m *Membership) publish(typ MemberEventType, member Member) {
	level := slog.LevelInfo
	if typ == EventMemberUpdate {
		level = slog.LevelDebug
	}
	m.log.Log(context.Background(), level, "membership event", "event", typ.String(),
		"member", member.NodeID, "state", member.State.String(), "gossip_addr", member.GossipAddr)
	m.events.push(MemberEvent{Type: typ, Member: member})
}
