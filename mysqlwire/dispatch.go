package mysqlwire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime/debug"
	"time"

	"github.com/go-mysql-org/go-mysql/mysql"
)

// serve is the command loop: read a command, answer it, flush, until the
// client quits, the connection fails or the session is killed.
func (s *session) serve() {
	defer s.log.Debug("disconnected")
	for {
		if err := s.bc.Conn.SetReadDeadline(time.Now().Add(s.srv.cfg.IdleTimeout)); err != nil {
			return
		}
		data, err := s.c.ReadPacket()
		if err != nil {
			s.logReadError(err)
			return
		}
		if len(data) > maxPacket {
			s.writeError(errTooLarge)
			_ = s.bc.flush()
			return
		}
		keep := s.dispatch(data)
		if err := s.bc.flush(); err != nil || s.werr != nil || !keep {
			return
		}
		s.c.ResetSequence()
	}
}

// logReadError logs why reading a command failed, unless the client simply left.
func (s *session) logReadError(err error) {
	var ne net.Error
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, net.ErrClosed), s.ctx.Err() != nil:
	case errors.As(err, &ne) && ne.Timeout():
		s.log.Info("closing idle connection", "idle_timeout", s.srv.cfg.IdleTimeout)
	default:
		s.log.Debug("read command", "err", err)
	}
}

// dispatch answers one command. It reports whether the connection stays
// open. A panic answers an internal error and closes the connection.
func (s *session) dispatch(data []byte) (keep bool) {
	defer func() {
		if r := recover(); r != nil {
			s.srv.panics.Add(1)
			s.log.Error("panic serving command", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			s.writeError(errInternal)
			keep = false
		}
	}()
	if len(data) == 0 {
		return false
	}
	cmd, body := data[0], data[1:]
	switch cmd {
	case mysql.COM_QUIT:
		return false
	case mysql.COM_PING:
		s.writeOK(0, 0, false)
	case mysql.COM_QUERY:
		s.comQuery(string(body))
	case mysql.COM_INIT_DB:
		s.comInitDB(string(body))
	case mysql.COM_FIELD_LIST:
		s.comFieldList(body)
	case mysql.COM_STMT_PREPARE:
		s.comStmtPrepare(string(body))
	case mysql.COM_STMT_EXECUTE:
		s.comStmtExecute(body)
	case mysql.COM_STMT_SEND_LONG_DATA:
		s.comStmtSendLongData(body)
	case mysql.COM_STMT_CLOSE:
		s.comStmtClose(body)
	case mysql.COM_STMT_RESET:
		s.comStmtReset(body)
	case mysql.COM_SET_OPTION:
		s.comSetOption(body)
	case mysql.COM_RESET_CONNECTION:
		s.comResetConnection()
	case mysql.COM_CHANGE_USER:
		return s.comChangeUser(body)
	case mysql.COM_STATISTICS:
		s.comStatistics()
	case mysql.COM_PROCESS_KILL:
		s.comProcessKill(body)
	default:
		s.writeError(&Error{Code: mysql.ER_UNKNOWN_COM_ERROR, SQLState: "08S01", Message: "Unknown command"})
	}
	return true
}

// comInitDB is COM_INIT_DB: USE without SQL.
func (s *session) comInitDB(db string) {
	if err := s.use(db); err != nil {
		s.writeError(err)
		return
	}
	s.writeOK(0, 0, false)
}

// comSetOption is COM_SET_OPTION: multi-statements on (0) or off (1).
func (s *session) comSetOption(body []byte) {
	if len(body) < 2 {
		s.writeError(errMalformed)
		return
	}
	switch binary.LittleEndian.Uint16(body) {
	case 0:
		s.multiStatements = true
	case 1:
		s.multiStatements = false
	default:
		s.writeError(errMalformed)
		return
	}
	s.writeEOF(false)
}

// comResetConnection is COM_RESET_CONNECTION: roll back, forget variables
// and prepared statements, keep the user and database.
func (s *session) comResetConnection() {
	s.rollbackTx()
	s.reset()
	s.writeOK(0, 0, false)
}

// comStatistics is COM_STATISTICS (mysqladmin status): a bare string.
func (s *session) comStatistics() {
	up := time.Since(s.srv.started).Seconds()
	q := s.srv.questions.Load()
	msg := fmt.Sprintf("Uptime: %d  Threads: %d  Questions: %d  Slow queries: 0  Opens: 0  Flush tables: 0  Open tables: 0  Queries per second avg: %.3f",
		int64(up), s.srv.sessionCount(), q, float64(q)/max(up, 1))
	s.send(append(s.begin(), msg...))
}

// comProcessKill is the deprecated COM_PROCESS_KILL: KILL id.
func (s *session) comProcessKill(body []byte) {
	if len(body) < 4 {
		s.writeError(errMalformed)
		return
	}
	if err := s.killSession(uint64(binary.LittleEndian.Uint32(body)), false); err != nil {
		s.writeError(err)
		return
	}
	s.writeOK(0, 0, false)
}

// Errors of the command phase.
var (
	errInternal    = &Error{Code: mysql.ER_UNKNOWN_ERROR, SQLState: "HY000", Message: "internal error"}
	errMalformed   = &Error{Code: 1835, SQLState: "HY000", Message: "Malformed communication packet."}
	errInterrupted = &Error{Code: mysql.ER_QUERY_INTERRUPTED, SQLState: "70100", Message: "Query execution was interrupted"}
	errTooLarge    = &Error{Code: mysql.ER_NET_PACKET_TOO_LARGE, SQLState: "08S01", Message: "Got a packet bigger than 'max_allowed_packet' bytes"}
)

// maxPacket is max_allowed_packet: a bigger command is refused and the
// connection closed, as MySQL does.
const maxPacket = 64 << 20
