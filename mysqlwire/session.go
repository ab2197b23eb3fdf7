package mysqlwire

import (
	"context"
	"log/slog"
	"net"
	"sync"

	"github.com/go-mysql-org/go-mysql/mysql"
	"github.com/go-mysql-org/go-mysql/server"
	"github.com/warren-db/warren/engine"
)

// session is one client connection after its handshake: the connection's
// state (current database, transaction, variables, prepared statements) and
// its command loop. Only the connection's goroutine touches it, except kill
// and cancelQuery, which go through mu.
type session struct {
	srv    *Server
	c      *server.Conn // go-mysql's packet I/O
	bc     *bufConn
	id     uint32
	remote net.Addr
	log    *slog.Logger

	user string // account name; privileges are looked up per statement
	db   string // current database, "" for none

	autocommit      bool
	multiStatements bool
	consistency     engine.Consistency
	vars            map[string]engine.Value // system variables the session set
	userVars        map[string]engine.Value
	lastInsertID    uint64
	foundRows       int64
	rowCount        int64
	warnings        uint16
	tx              txState
	nextTxReadOnly  bool
	stmts           map[uint32]*prepared
	lastStmtID      uint32

	buf  []byte // packet being built
	werr error  // first write error: the connection is gone

	mu        sync.Mutex
	ctx       context.Context // cancelled by kill
	cancel    context.CancelFunc
	cmdCancel context.CancelFunc // cancels the running statement (KILL QUERY)
}

// newSession returns the session of a connection that passed its handshake.
func newSession(srv *Server, c *server.Conn, bc *bufConn, hs *handshake) *session {
	ctx, cancel := context.WithCancel(context.Background())
	s := &session{srv: srv, c: c, bc: bc, id: c.ConnectionID(), remote: hs.remote,
		user: hs.acct.Name, ctx: ctx, cancel: cancel, buf: make([]byte, 0, 4096)}
	s.log = srv.connLogger(s.id, hs.remote).With("user", s.user)
	s.reset()
	s.db = hs.db
	s.multiStatements = c.Capability()&mysql.CLIENT_MULTI_STATEMENTS != 0
	return s
}

// reset gives the session a fresh state (connect, COM_RESET_CONNECTION,
// COM_CHANGE_USER), keeping user and database.
func (s *session) reset() {
	s.autocommit = true
	s.consistency = s.srv.cfg.DefaultConsistency
	s.vars = make(map[string]engine.Value)
	s.userVars = make(map[string]engine.Value)
	s.lastInsertID, s.foundRows, s.rowCount, s.warnings = 0, 0, -1, 0
	s.nextTxReadOnly = false
	s.stmts = make(map[uint32]*prepared)
}

// account returns the session's account as it is now (GRANT and DROP USER
// apply to open sessions), or nil when it was dropped.
func (s *session) account() *account {
	return s.srv.accounts.lookup(s.user, s.remote)
}

// info is what the translator needs to know about the session.
func (s *session) info() *SessionInfo {
	a := s.account()
	userHost := s.user + "@" + hostOf(s.remote)
	if a != nil {
		userHost = a.userAtHost()
	}
	return &SessionInfo{
		Database:        s.db,
		User:            userHost,
		ConnectionID:    uint64(s.id),
		LastInsertID:    s.lastInsertID,
		FoundRows:       s.foundRows,
		RowCount:        s.rowCount,
		ClientFoundRows: s.c.Capability()&mysql.CLIENT_FOUND_ROWS != 0,
		Vars:            s.vars,
		UserVars:        s.userVars,
		Databases:       s.visibleDatabases,
	}
}

// visibleDatabases lists the databases the session's account has a
// privilege on, as SHOW DATABASES does.
func (s *session) visibleDatabases() []string {
	a := s.account()
	var out []string
	for _, d := range s.srv.eng.Databases() {
		if a != nil && a.privileges(d.Name) != privNone {
			out = append(out, d.Name)
		}
	}
	return out
}

// status is the server status flags of the session's OK and EOF packets.
func (s *session) status() uint16 {
	var st uint16
	if s.autocommit {
		st |= mysql.SERVER_STATUS_AUTOCOMMIT
	}
	if s.tx.open {
		st |= mysql.SERVER_STATUS_IN_TRANS
		if s.tx.readOnly {
			st |= mysql.SERVER_STATUS_IN_TRANS_READONLY
		}
	}
	return st
}

// command starts a command: its context is cancelled by KILL QUERY.
func (s *session) command() (context.Context, context.CancelFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ctx, cancel := context.WithCancel(s.ctx)
	s.cmdCancel = cancel
	return ctx, func() {
		s.mu.Lock()
		s.cmdCancel = nil
		s.mu.Unlock()
		cancel()
	}
}

// cancelQuery stops the running statement, if any (KILL QUERY).
func (s *session) cancelQuery() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmdCancel != nil {
		s.cmdCancel()
	}
}

// kill ends the session from another goroutine (KILL, Server.Close): it
// cancels the running statement and closes the connection, which ends the
// command loop; close then rolls back.
func (s *session) kill() {
	s.cancel()
	s.bc.Conn.Close()
}

// close releases what the session holds once its loop ended.
func (s *session) close() {
	s.cancel()
	s.rollbackTx()
	s.c.Close()
}
