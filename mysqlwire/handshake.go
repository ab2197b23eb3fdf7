package mysqlwire

import (
	"crypto/tls"
	"log/slog"
	"net"

	"github.com/go-mysql-org/go-mysql/mysql"
	"github.com/go-mysql-org/go-mysql/server"
)

// unknownAccount is the credential go-mysql gets for a user that does not
// exist (or may not connect from the client's host), so that the client
// hears "access denied" as for a wrong password instead of learning which
// accounts exist. authProvider never matches it.
var unknownAccount = server.Credential{Passwords: []string{"\x00"}, AuthPluginName: PluginNative}

// handshake is go-mysql's view of one connection during the connection
// phase: the database the client asked for, and the account lookups. Only
// UseDB of server.Handler is used: commands are served by session.
type handshake struct {
	server.EmptyHandler
	srv    *Server
	remote net.Addr
	db     string   // CLIENT_CONNECT_WITH_DB, checked once the user is known
	acct   *account // set on success
	connID uint32   // known once authentication ended, for the log
}

var (
	_ server.Handler               = (*handshake)(nil)
	_ server.AuthenticationHandler = (*handshake)(nil)
)

// UseDB records the database of the handshake response; it is checked after
// authentication, when the user is known.
func (h *handshake) UseDB(db string) error {
	h.db = db
	return nil
}

// GetCredential tells go-mysql the plugin of the account; passwords are
// checked by authProvider against the stored hashes.
func (h *handshake) GetCredential(user string) (server.Credential, bool, error) {
	a := h.srv.accounts.lookup(user, h.remote)
	if a == nil {
		return unknownAccount, true, nil
	}
	return server.Credential{Passwords: []string{""}, AuthPluginName: a.Plugin}, true, nil
}

// OnAuthSuccess checks what the password alone does not: TLS when required,
// and the database the client asked for.
func (h *handshake) OnAuthSuccess(c *server.Conn) error {
	h.connID = c.ConnectionID()
	a := h.srv.accounts.lookup(c.GetUser(), h.remote)
	if a == nil {
		return toMyError(accessDenied(c.GetUser(), hostOf(h.remote), true))
	}
	if _, secure := c.Conn.Conn.(*tls.Conn); h.srv.cfg.RequireTLS && !secure {
		return toMyError(&Error{Code: 3159, SQLState: "HY000",
			Message: "Connections using insecure transport are prohibited while --require_secure_transport=ON."})
	}
	if h.db != "" {
		if err := h.srv.checkUse(a, h.db); err != nil {
			return toMyError(err)
		}
	}
	h.acct = a
	return nil
}

// OnAuthFailure logs the failed login (never the password).
func (h *handshake) OnAuthFailure(c *server.Conn, err error) {
	h.connID = c.ConnectionID()
	h.srv.log.Warn("login failed", "conn_id", c.ConnectionID(), "user", c.GetUser(),
		"remote", h.remote.String(), "err", err)
}

// hostOf returns the host part of a client address, as MySQL shows it.
func hostOf(addr net.Addr) string {
	if tcp, ok := addr.(*net.TCPAddr); ok {
		return tcp.IP.String()
	}
	return "localhost"
}

// toMyError converts an error for go-mysql's connection phase, which sends
// *mysql.MyError values as they are and anything else as error 1105.
func toMyError(err *Error) *mysql.MyError {
	return &mysql.MyError{Code: err.Code, State: err.SQLState, Message: err.Message}
}

// logger returns the log of a connection.
func (s *Server) connLogger(id uint32, remote net.Addr) *slog.Logger {
	return s.log.With("conn_id", id, "remote", remote.String())
}
