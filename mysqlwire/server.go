package mysqlwire

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-mysql-org/go-mysql/server"
	"github.com/warren-db/warren/engine"
)

// ErrServerClosed is what Serve returns after Close.
var ErrServerClosed = errors.New("mysql server closed")

// collationUTF8MB4 is utf8mb4_general_ci, the collation the handshake and
// text columns announce; every client knows it.
const collationUTF8MB4 = 45

// Server is the MySQL protocol server of one node. Create it with New, run it
// with Serve, stop it with Close. It is safe for concurrent use.
type Server struct {
	eng      *engine.Engine
	cfg      Config
	log      *slog.Logger
	accounts *accountStore
	tr       *Translator
	proto    *server.Server // go-mysql: handshake, TLS, auth plugins
	auth     *authProvider
	slots    chan struct{} // one per open connection: the cap
	started  time.Time

	questions atomic.Int64 // statements run, for COM_STATISTICS
	panics    atomic.Int64 // commands that panicked (answered as internal errors)

	mu        sync.Mutex
	closed    bool
	listeners map[net.Listener]struct{}
	sessions  map[uint32]*session
	raw       map[net.Conn]struct{} // connections still in their handshake
	wg        sync.WaitGroup
}

// New returns a server for eng. It loads the accounts of cfg and of
// UsersFile in cfg.DataDir.
func New(eng *engine.Engine, cfg Config) (*Server, error) {
	if eng == nil {
		return nil, errors.New("new mysql server: engine is nil")
	}
	cfg = cfg.withDefaults()
	if cfg.AuthPlugin != PluginNative && cfg.AuthPlugin != PluginSHA2 {
		return nil, fmt.Errorf("new mysql server: auth plugin %q is not supported: use %s or %s", cfg.AuthPlugin, PluginNative, PluginSHA2)
	}
	accounts, err := newAccountStore(cfg)
	if err != nil {
		return nil, fmt.Errorf("new mysql server: %w", err)
	}
	tr, err := newServerTranslator(eng, cfg)
	if err != nil {
		return nil, fmt.Errorf("new mysql server: %w", err)
	}
	s := &Server{eng: eng, cfg: cfg, log: cfg.Logger, accounts: accounts, tr: tr,
		slots: make(chan struct{}, cfg.MaxConnections), started: time.Now(),
		listeners: make(map[net.Listener]struct{}), sessions: make(map[uint32]*session),
		raw: make(map[net.Conn]struct{})}
	s.auth = &authProvider{accounts: accounts, sha2: newSHA2State(cfg.TLS)}
	s.proto = server.NewServerWithAuth(cfg.Version, collationUTF8MB4, PluginNative, nil, cfg.TLS, s.auth)
	if a := accounts.get("root"); a != nil && a.source == sourceImplicit {
		s.log.Warn("no mysql administrator configured: root with an empty password is accepted from loopback only; set mysql_user and mysql_password")
	}
	return s, nil
}

// Serve accepts connections on ln until Close (then it returns
// ErrServerClosed) or until ln fails.
func (s *Server) Serve(ln net.Listener) error {
	if !s.track(ln) {
		ln.Close()
		return ErrServerClosed
	}
	defer s.untrack(ln)
	s.log.Info("mysql listening", "addr", ln.Addr().String(), "tls", s.cfg.TLS != nil)
	var backoff time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			if s.isClosed() {
				return ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				time.Sleep(backoff)
				continue
			}
			return fmt.Errorf("accept mysql connection: %w", err)
		}
		backoff = 0
		s.wg.Add(1)
		go s.serveConn(nc)
	}
}

// Close stops every listener and closes every connection, rolling back
// their open transactions, and waits for them to finish.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	var errs []error
	for ln := range s.listeners {
		if err := ln.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, err)
		}
	}
	for nc := range s.raw {
		nc.Close()
	}
	for _, sess := range s.sessions {
		sess.kill()
	}
	s.mu.Unlock()
	s.wg.Wait()
	if len(errs) > 0 {
		return fmt.Errorf("close mysql server: %w", errors.Join(errs...))
	}
	return nil
}

// Addr-independent bookkeeping of listeners and connections.

func (s *Server) track(ln net.Listener) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.listeners[ln] = struct{}{}
	return true
}

func (s *Server) untrack(ln net.Listener) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.listeners, ln)
}

func (s *Server) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// session returns the open session with connection id id.
func (s *Server) session(id uint32) *session {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions[id]
}
