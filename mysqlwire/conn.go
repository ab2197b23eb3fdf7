package mysqlwire

import (
	"encoding/binary"
	"fmt"
	"net"
	"runtime/debug"
	"time"

	"github.com/go-mysql-org/go-mysql/mysql"
	"github.com/go-mysql-org/go-mysql/packet"
)

// serveConn runs one client connection: the cap, the handshake, then the
// session's command loop.
func (s *Server) serveConn(nc net.Conn) {
	defer s.wg.Done()
	defer func() {
		if r := recover(); r != nil { // a bug outside a command (those recover in dispatch)
			s.panics.Add(1)
			s.log.Error("panic serving connection", "remote", nc.RemoteAddr().String(), "panic", fmt.Sprint(r),
				"stack", string(debug.Stack()))
			nc.Close()
		}
	}()
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	default:
		s.refuse(nc)
		return
	}
	sess := s.handshake(nc)
	if sess == nil {
		return
	}
	defer s.removeSession(sess)
	sess.serve()
	sess.close()
}

// handshake runs the connection phase and returns the session, or nil when
// the client did not get in (go-mysql has answered and closed it).
func (s *Server) handshake(nc net.Conn) *session {
	if !s.addRaw(nc) {
		nc.Close()
		return nil
	}
	bc := newBufConn(nc)
	_ = nc.SetDeadline(time.Now().Add(s.cfg.HandshakeTimeout))
	hs := &handshake{srv: s, remote: nc.RemoteAddr()}
	c, err := s.proto.NewCustomizedConn(bc, hs, hs)
	s.removeRaw(nc)
	if err != nil {
		s.log.Debug("handshake failed", "conn_id", hs.connID, "remote", nc.RemoteAddr().String(), "err", err)
		nc.Close()
		return nil
	}
	_ = nc.SetDeadline(time.Time{})
	bc.startBuffering()
	sess := newSession(s, c, bc, hs)
	if !s.addSession(sess) {
		sess.close()
		return nil
	}
	sess.log.Info("connected", "db", sess.db, "tls", sess.isTLS())
	return sess
}

// refuse answers a connection over the cap with MySQL's error 1040.
func (s *Server) refuse(nc net.Conn) {
	defer nc.Close()
	_ = nc.SetDeadline(time.Now().Add(time.Second))
	p := packet.NewConn(nc)
	data := binary.LittleEndian.AppendUint16([]byte{0, 0, 0, 0, mysql.ERR_HEADER}, mysql.ER_CON_COUNT_ERROR)
	data = append(data, "#08004Too many connections"...)
	_ = p.WritePacket(data)
	s.log.Warn("refused connection: too many connections", "remote", nc.RemoteAddr().String(),
		"max_connections", s.cfg.MaxConnections)
}

func (s *Server) addRaw(nc net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.raw[nc] = struct{}{}
	return true
}

func (s *Server) removeRaw(nc net.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.raw, nc)
}

func (s *Server) addSession(sess *session) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.sessions[sess.id] = sess
	return true
}

func (s *Server) removeSession(sess *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, sess.id)
}

// sessionCount returns the number of open sessions.
func (s *Server) sessionCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}
