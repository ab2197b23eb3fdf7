package mysqlwire

import (
	"bytes"
	"crypto/tls"
	"errors"

	"github.com/go-mysql-org/go-mysql/mysql"
	"github.com/go-mysql-org/go-mysql/server"
)

// changeUserRequest is a parsed COM_CHANGE_USER.
type changeUserRequest struct {
	user, db, plugin string
	auth             []byte
}

// parseChangeUser reads user, auth response, database, character set and
// plugin name. Protocol 4.1 clients with secure connections send a
// length-prefixed auth response.
func parseChangeUser(body []byte) (changeUserRequest, bool) {
	var r changeUserRequest
	user, rest, ok := bytes.Cut(body, []byte{0})
	if !ok || len(rest) < 1 || len(rest) < 1+int(rest[0]) {
		return r, false
	}
	r.user, r.auth = string(user), rest[1:1+int(rest[0])]
	rest = rest[1+int(rest[0]):]
	db, rest, ok := bytes.Cut(rest, []byte{0})
	if !ok {
		return r, false
	}
	r.db = string(db)
	if len(rest) >= 2 {
		plugin, _, _ := bytes.Cut(rest[2:], []byte{0})
		r.plugin = string(plugin)
	}
	if r.plugin == "" {
		r.plugin = PluginNative
	}
	return r, true
}

// comChangeUser is COM_CHANGE_USER: log in again as another user (or the
// same), with a fresh session state. A failed attempt closes the connection.
func (s *session) comChangeUser(body []byte) bool {
	req, ok := parseChangeUser(body)
	if !ok {
		s.writeError(errMalformed)
		return false
	}
	a := s.srv.accounts.lookup(req.user, s.remote)
	err := s.changeUserAuth(a, req)
	if err == nil && req.db != "" {
		if e := s.srv.checkUse(a, req.db); e != nil {
			s.writeError(e)
			return false
		}
	}
	if err != nil {
		if errors.Is(err, server.ErrAccessDenied) {
			s.log.Warn("change user failed", "new_user", req.user, "err", err)
			s.writeError(accessDenied(req.user, hostOf(s.remote), !errors.Is(err, server.ErrAccessDeniedNoPassword)))
		}
		return false
	}
	s.rollbackTx()
	s.reset()
	s.user, s.db = a.Name, req.db
	s.log = s.srv.connLogger(s.id, s.remote).With("user", s.user)
	s.log.Info("changed user")
	s.writeOK(0, 0, false)
	return true
}

// changeUserAuth checks the password of a change of user, switching the
// client to the account's plugin with a fresh scramble when it used another.
func (s *session) changeUserAuth(a *account, req changeUserRequest) error {
	salt, data := connSalt(s.c), req.auth
	if a != nil && req.plugin != a.Plugin {
		salt = mysql.RandomBuf(20)
		p := append(s.begin(), mysql.EOF_HEADER)
		p = append(p, a.Plugin...)
		p = append(append(append(p, 0), salt...), 0)
		s.send(p)
		if err := s.bc.flush(); err != nil || s.werr != nil {
			return errors.Join(err, s.werr)
		}
		var err error
		if data, err = s.c.ReadPacket(); err != nil {
			return err
		}
	}
	plugin := req.plugin
	if a != nil {
		plugin = a.Plugin
	}
	return checkPassword(a, plugin, data, salt, sessionIO{s}, s.srv.auth.sha2)
}

// sessionIO is a session's connection during a change of user.
type sessionIO struct{ s *session }

func (x sessionIO) WritePacket(data []byte) error {
	if err := x.s.c.WritePacket(data); err != nil {
		return err
	}
	return x.s.bc.flush()
}
func (x sessionIO) ReadPacket() ([]byte, error) { return x.s.c.ReadPacket() }
func (x sessionIO) isTLS() bool                 { return x.s.isTLS() }
func (x sessionIO) isLoopback() bool            { return isLoopback(x.s.remote) }

// isTLS reports whether the session's connection is encrypted.
func (s *session) isTLS() bool {
	_, ok := s.c.Conn.Conn.(*tls.Conn)
	return ok
}
