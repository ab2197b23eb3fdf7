package replication

import (
	"context"
	"fmt"
	"net"
	"sync"
	"sync/atomic"

	"github.com/quic-go/quic-go"
)

// peerLink is an established outgoing connection and the peer's verified node id.
type peerLink struct {
	conn   *quic.Conn
	nodeID string
	keep   bool // the peer answers many calls per stream (ALPN peerALPNKeep)
	kept   streamPool
}

// alive reports whether the connection can still carry streams.
func (l *peerLink) alive() bool {
	return l != nil && l.conn.Context().Err() == nil
}

// outPeer is the cache slot of one peer address. dialing serializes dials so
// concurrent callers share one connection; the fast path only loads link.
type outPeer struct {
	dialing chan struct{}
	link    atomic.Pointer[peerLink]
}

// connPool caches outgoing connections by peer address.
type connPool struct {
	mu     sync.Mutex
	peers  map[string]*outPeer
	closed bool
}

// peer returns the slot of addr, creating it.
func (p *connPool) peer(addr string) (*outPeer, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, ErrTransportClosed
	}
	if p.peers == nil {
		p.peers = make(map[string]*outPeer)
	}
	op := p.peers[addr]
	if op == nil {
		op = &outPeer{dialing: make(chan struct{}, 1)}
		p.peers[addr] = op
	}
	return op, nil
}

// store caches l in op unless the pool is closed; it reports whether it did.
func (p *connPool) store(op *outPeer, l *peerLink) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	op.link.Store(l)
	return true
}

// closeAll closes every cached connection and refuses new slots.
func (p *connPool) closeAll(graceful bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	for _, op := range p.peers {
		if l := op.link.Swap(nil); l != nil && graceful {
			_ = l.conn.CloseWithError(codeClosing, "closing")
		}
	}
}

// link returns a live connection to addr, dialing one if needed.
func (t *Transport) link(ctx context.Context, addr string) (*peerLink, error) {
	op, err := t.pool.peer(addr)
	if err != nil {
		return nil, err
	}
	if l := op.link.Load(); l.alive() {
		return l, nil
	}
	select {
	case op.dialing <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-op.dialing }()
	if l := op.link.Load(); l.alive() {
		return l, nil
	}
	l, err := t.dial(ctx, addr)
	if err != nil {
		return nil, err
	}
	if !t.pool.store(op, l) { // Close ran during the dial
		_ = l.conn.CloseWithError(codeClosing, "closing")
		return nil, ErrTransportClosed
	}
	return l, nil
}

// dial opens a connection to addr, bounded by ctx and DialTimeout.
func (t *Transport) dial(ctx context.Context, addr string) (*peerLink, error) {
	ua, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return nil, fmt.Errorf("resolve peer address: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, t.cfg.DialTimeout)
	defer cancel()
	conn, err := t.qt.Dial(ctx, ua, t.clientTLS, t.dialConf)
	if err != nil {
		return nil, fmt.Errorf("dial peer: %w", err)
	}
	nodeID, err := peerNodeID(conn.ConnectionState().TLS)
	if err != nil {
		_ = conn.CloseWithError(codeClosing, "no node id")
		return nil, fmt.Errorf("dial peer: %w", err)
	}
	t.log.Debug("connected to peer", transportLogPeer, addr, transportLogNode, nodeID)
	keep := conn.ConnectionState().TLS.NegotiatedProtocol == peerALPNKeep
	return &peerLink{conn: conn, nodeID: nodeID, keep: keep}, nil
}

// Disconnect closes the cached connection to addr, if any (for a peer that
// left). A later call dials again.
func (t *Transport) Disconnect(addr string) {
	t.pool.mu.Lock()
	op := t.pool.peers[addr]
	t.pool.mu.Unlock()
	if op == nil {
		return
	}
	if l := op.link.Swap(nil); l != nil {
		_ = l.conn.CloseWithError(codeClosing, "disconnect")
	}
}

// inboundConns tracks accepted connections so Close can close them.
type inboundConns struct {
	mu     sync.Mutex
	conns  map[*quic.Conn]struct{}
	closed bool
}

// add tracks c; it reports false once the transport is closing.
func (in *inboundConns) add(c *quic.Conn) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.closed {
		return false
	}
	if in.conns == nil {
		in.conns = make(map[*quic.Conn]struct{})
	}
	in.conns[c] = struct{}{}
	return true
}

// remove stops tracking c.
func (in *inboundConns) remove(c *quic.Conn) {
	in.mu.Lock()
	defer in.mu.Unlock()
	delete(in.conns, c)
}

// closeAll closes every tracked connection and refuses new ones.
func (in *inboundConns) closeAll(graceful bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.closed = true
	for c := range in.conns {
		if graceful {
			_ = c.CloseWithError(codeClosing, "closing")
		}
	}
}
