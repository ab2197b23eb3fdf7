package replication

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"

	"github.com/quic-go/quic-go"
)

// Log attribute keys of the transport.
const (
	transportLogComponent = "component"
	transportLogPeer      = "peer"
	transportLogNode      = "node"
	transportLogKind      = "kind"
	transportLogErr       = "err"
	transportLogPanic     = "panic"
	transportLogStack     = "stack"
)

// Handler answers one request of a kind. It runs on its own goroutine,
// concurrently with other handlers, gets the caller's verified node id and a
// context canceled when the caller gives up or the transport closes. Its
// error reaches the caller as a *RemoteError.
type Handler func(ctx context.Context, from string, req []byte) ([]byte, error)

// StreamHandler answers one request of a kind with a response of any size
// written to w (snapshots). An error returned after writing reaches the
// caller's reader as a *RemoteError; a truncated body is never mistaken for a
// complete one.
type StreamHandler func(ctx context.Context, from string, req []byte, w io.Writer) error

// handlerEntry holds the one handler registered for a kind.
type handlerEntry struct {
	unary  Handler
	stream StreamHandler
}

// Transport carries requests between peers over QUIC with mutual TLS. One
// UDP socket serves both incoming and outgoing connections; outgoing calls
// reuse one connection per peer address, and their streams (transport_streams.go). All methods
// are safe for concurrent use.
type Transport struct {
	cfg       TransportConfig
	log       *slog.Logger
	udp       *net.UDPConn
	addr      string // udp's local address
	qt        *quic.Transport
	ln        *quic.Listener
	clientTLS *tls.Config
	dialConf  *quic.Config

	ctx       context.Context // canceled by Close
	cancel    context.CancelFunc
	wg        sync.WaitGroup // accept loop, connection loops, handlers
	closeOnce sync.Once

	hmu      sync.RWMutex
	handlers map[Kind]handlerEntry

	pool    connPool
	inbound inboundConns
	faults  linkFaults
}

// NewTransport validates cfg, builds the node's TLS identity and starts
// listening on cfg.ListenAddr. Close releases it.
func NewTransport(cfg TransportConfig) (*Transport, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	id, err := newPeerIdentity(&cfg)
	if err != nil {
		return nil, fmt.Errorf("new transport: %w", err)
	}
	t := newTransport(cfg, id)
	if err := t.listen(id); err != nil {
		t.cancel()
		return nil, err
	}
	t.wg.Add(1)
	go t.acceptLoop()
	t.log.Debug("transport listening", transportLogPeer, t.Addr())
	return t, nil
}

// newTransport fills a Transport that is not listening yet.
func newTransport(cfg TransportConfig, id *peerIdentity) *Transport {
	log := cfg.Logger
	if log == nil {
		log = slog.Default().With(transportLogComponent, "transport")
	}
	t := &Transport{
		cfg:       cfg,
		log:       log.With(transportLogNode, cfg.NodeID),
		clientTLS: id.clientTLS(),
		dialConf:  quicConfig(&cfg, -1), // dialed connections accept no streams
		handlers:  make(map[Kind]handlerEntry),
	}
	t.ctx, t.cancel = context.WithCancel(context.Background())
	t.handlers[KindPing] = handlerEntry{unary: echoHandler}
	return t
}

// quicConfig is the QUIC configuration of both sides; streams caps the
// concurrent incoming streams per connection.
func quicConfig(cfg *TransportConfig, streams int64) *quic.Config {
	return &quic.Config{
		HandshakeIdleTimeout:  cfg.DialTimeout,
		MaxIdleTimeout:        cfg.IdleTimeout,
		KeepAlivePeriod:       cfg.IdleTimeout / 3,
		MaxIncomingStreams:    streams,
		MaxIncomingUniStreams: -1,
	}
}

// listen binds the UDP socket and starts the QUIC listener on it.
func (t *Transport) listen(id *peerIdentity) error {
	addr, err := net.ResolveUDPAddr("udp", t.cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("resolve listen address: %w", err)
	}
	t.udp, err = net.ListenUDP("udp", addr)
	if err != nil {
		return fmt.Errorf("listen udp: %w", err)
	}
	t.addr = t.udp.LocalAddr().String()
	t.qt = &quic.Transport{Conn: t.udp, StatelessResetKey: &id.resetKey}
	t.ln, err = t.qt.Listen(id.serverTLS(), quicConfig(&t.cfg, int64(t.cfg.MaxStreams)))
	if err != nil {
		_ = t.udp.Close()
		return fmt.Errorf("listen quic: %w", err)
	}
	return nil
}

// Addr returns the address the transport listens on, with the real port.
func (t *Transport) Addr() string {
	return t.addr
}

// NodeID returns this node's id.
func (t *Transport) NodeID() string {
	return t.cfg.NodeID
}

// Handle registers h for requests of kind, replacing any earlier handler.
func (t *Transport) Handle(kind Kind, h Handler) {
	t.hmu.Lock()
	defer t.hmu.Unlock()
	t.handlers[kind] = handlerEntry{unary: h}
}

// HandleStream registers h, which streams its response, for requests of kind.
func (t *Transport) HandleStream(kind Kind, h StreamHandler) {
	t.hmu.Lock()
	defer t.hmu.Unlock()
	t.handlers[kind] = handlerEntry{stream: h}
}

// handler returns the handler of kind.
func (t *Transport) handler(kind Kind) (handlerEntry, bool) {
	t.hmu.RLock()
	defer t.hmu.RUnlock()
	h, ok := t.handlers[kind]
	return h, ok
}

// echoHandler answers KindPing with its request.
func echoHandler(_ context.Context, _ string, req []byte) ([]byte, error) {
	return req, nil
}

// Close closes every connection (telling peers), stops listening and waits
// for handlers to return; handlers must honor their context.
func (t *Transport) Close() error {
	var err error
	t.closeOnce.Do(func() { err = t.shutdown(true) })
	return err
}

// shutdown stops the transport. Without graceful, peers are not told: the
// connections just vanish, as when the process crashes.
func (t *Transport) shutdown(graceful bool) error {
	// Close connections before canceling t.ctx: a connection loop that sees
	// t.ctx end stops tracking its connection, which would then vanish untold.
	t.inbound.closeAll(graceful)
	t.pool.closeAll(graceful)
	t.cancel()
	err := t.qt.Close()
	t.wg.Wait()
	if cerr := t.udp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("close transport: %w", err)
	}
	return nil
}
