package mysqlwire

import (
	"bytes"
	"crypto/tls"
	"reflect"

	"github.com/go-mysql-org/go-mysql/mysql"
	"github.com/go-mysql-org/go-mysql/server"
)

// authProvider checks passwords for go-mysql's connection phase against the
// stored hashes (go-mysql's own provider needs clear-text passwords). It
// speaks mysql_native_password and caching_sha2_password.
type authProvider struct {
	accounts *accountStore
	sha2     *sha2State
}

var _ server.AuthenticationProvider = (*authProvider)(nil)

// Validate reports whether Warren speaks the plugin.
func (p *authProvider) Validate(plugin string) bool {
	return plugin == PluginNative || plugin == PluginSHA2
}

// Authenticate checks the client's first answer for plugin. go-mysql calls
// it once the plugin is the account's (after an auth switch if needed).
func (p *authProvider) Authenticate(c *server.Conn, plugin string, data []byte) error {
	a := p.accounts.lookup(c.GetUser(), c.RemoteAddr())
	return checkPassword(a, plugin, data, connSalt(c), connIO{c}, p.sha2)
}

// checkPassword is the one password check, for the handshake and
// COM_CHANGE_USER: a is nil for an unknown account, data is the client's
// answer to salt. It returns nil, server.ErrAccessDenied or an I/O error.
func checkPassword(a *account, plugin string, data, salt []byte, io authIO, st *sha2State) error {
	noPassword := len(data) == 0 || (len(data) == 1 && data[0] == 0)
	switch {
	case a == nil || plugin != a.Plugin || len(salt) != 20:
		return denied(noPassword)
	case a.empty() || noPassword:
		if a.empty() && noPassword {
			return nil
		}
		return denied(noPassword)
	case plugin == PluginNative:
		if a.checkNative(data, salt) {
			return nil
		}
		return server.ErrAccessDenied
	}
	return st.authenticate(a, data, salt, io)
}

// denied is the access-denied error, telling whether a password was used.
func denied(noPassword bool) error {
	if noPassword {
		return server.ErrAccessDeniedNoPassword
	}
	return server.ErrAccessDenied
}

// authIO is the packet exchange of caching_sha2_password's extra round trips.
type authIO interface {
	WritePacket(data []byte) error
	ReadPacket() ([]byte, error)
	isTLS() bool
	isLoopback() bool
}

// connIO is a go-mysql connection in its connection phase.
type connIO struct{ c *server.Conn }

func (x connIO) WritePacket(data []byte) error { return x.c.WritePacket(data) }
func (x connIO) ReadPacket() ([]byte, error)   { return x.c.ReadPacket() }
func (x connIO) isTLS() bool                   { _, ok := x.c.Conn.Conn.(*tls.Conn); return ok }
func (x connIO) isLoopback() bool              { return isLoopback(x.c.RemoteAddr()) }

// connSalt returns the scramble go-mysql sent the client: the connection's
// unexported salt field, read by reflection because go-mysql does not export
// it and a hash-only check needs it. A go-mysql that renames the field makes
// every login fail (TestConnSalt catches that), never succeed.
func connSalt(c *server.Conn) []byte {
	v := reflect.ValueOf(c).Elem().FieldByName("salt")
	if !v.IsValid() || v.Kind() != reflect.Slice || v.Type().Elem().Kind() != reflect.Uint8 {
		return nil
	}
	return bytes.Clone(v.Bytes())
}

// accessDenied is MySQL's error 1045 for user at host.
func accessDenied(user, host string, usedPassword bool) *Error {
	yes := "NO"
	if usedPassword {
		yes = "YES"
	}
	return &Error{Code: mysql.ER_ACCESS_DENIED_ERROR, SQLState: "28000",
		Message: "Access denied for user '" + user + "'@'" + host + "' (using password: " + yes + ")"}
}
