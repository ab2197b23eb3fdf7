package mysqlwire

import (
	"encoding/binary"
	"strconv"

	"github.com/go-mysql-org/go-mysql/mysql"
	"github.com/warren-db/warren/engine"
)

// Limits of prepared statements, as MySQL's.
const (
	maxLongData     = 64 << 20 // what COM_STMT_SEND_LONG_DATA may gather for one parameter (max_allowed_packet)
	maxStmtsPerConn = 16382    // open statements of one connection (max_prepared_stmt_count)
	maxPlaceholders = 65535    // parameters of one statement
)

// prepared is a prepared statement. It keeps the text, not a translation:
// each execution translates again (a cache hit) so that session values such
// as LAST_INSERT_ID() are current. Tables resolve in the database that was
// current at PREPARE, as in MySQL.
type prepared struct {
	id       uint32
	sql      string
	db       string
	params   int
	types    []byte         // the parameter types of the last execution that sent them
	long     map[int][]byte // COM_STMT_SEND_LONG_DATA, by parameter
	longErr  bool           // a parameter's long data exceeded maxLongData
	columns  []column       // what PREPARE reported
	accounts bool           // an account statement
}

// comStmtPrepare is COM_STMT_PREPARE.
func (s *session) comStmtPrepare(sql string) {
	if len(s.stmts) >= maxStmtsPerConn {
		s.writeError(&Error{Code: 1461, SQLState: "42000",
			Message: "Can't create more than max_prepared_stmt_count statements (current value: 16382)"})
		return
	}
	st, err := s.prepare(sql)
	if err != nil {
		s.writeError(err)
		return
	}
	s.lastStmtID++
	st.id = s.lastStmtID
	s.stmts[st.id] = st
	p := append(s.begin(), mysql.OK_HEADER)
	p = binary.LittleEndian.AppendUint32(p, st.id)
	p = binary.LittleEndian.AppendUint16(p, uint16(len(st.columns)))
	p = binary.LittleEndian.AppendUint16(p, uint16(st.params))
	s.send(append(p, 0, 0, 0))
	if st.params > 0 {
		param := column{name: "?", typ: mysql.MYSQL_TYPE_VAR_STRING, charset: charsetBinary}
		for range st.params {
			s.send(appendColumnDef(s.begin(), &param, "", nil))
		}
		s.writeEOF(false)
	}
	if len(st.columns) > 0 {
		s.writeColumns(st.columns, false)
	}
}

// prepare checks a statement and learns its parameter count and, for a
// read, its columns.
func (s *session) prepare(sql string) (*prepared, error) {
	texts, err := s.srv.tr.SplitStatements(sql)
	switch {
	case err != nil:
		return nil, err
	case len(texts) == 0:
		return nil, errEmptyQuery()
	case len(texts) > 1:
		return nil, errParse("a prepared statement holds one statement")
	}
	st := &prepared{sql: texts[0], db: s.db}
	if acct, ok := parseAccountStatement(st.sql); ok {
		st.accounts = true
		return st, acct.errOrNil()
	}
	plan, err := s.srv.tr.Translate(st.sql, *s.info())
	if err != nil {
		return nil, err
	}
	st.params = plan.Params
	if st.params > maxPlaceholders {
		return nil, &Error{Code: 1390, SQLState: "HY000", Message: "Prepared statement contains too many placeholders"}
	}
	if plan.Kind == PlanRead {
		st.columns = s.describe(&plan)
	}
	return st, nil
}

// errOrNil returns the statement's parse error as an error interface value.
func (st accountStmt) errOrNil() error {
	if st.err != nil {
		return st.err
	}
	return nil
}

// describe returns the columns a read will have, for PREPARE's answer. It
// runs the read with LIMIT 0 and NULL parameters; when that fails the
// columns are left to the execution's answer (which always describes them).
func (s *session) describe(p *Plan) []column {
	db := p.Database
	if db == "" {
		db = s.anyDatabase()
	}
	ctx, done := s.command()
	defer done()
	args := make([]engine.Value, p.Params)
	st := engine.Statement{SQL: "SELECT * FROM (" + p.SQL + ") LIMIT 0", Params: engine.Params{Positional: args}}
	rows, err := s.srv.eng.Query(ctx, db, st, engine.QueryOptions{})
	if err != nil || len(rows.Columns) == 0 {
		return nil
	}
	return resultColumns(typeColumns(rows, p.ColumnTypes))
}

// comStmtExecute is COM_STMT_EXECUTE: bind the values, run, answer with
// binary rows.
func (s *session) comStmtExecute(body []byte) {
	st, err := s.stmtOf(body, "mysqld_stmt_execute")
	if err != nil {
		s.writeError(err)
		return
	}
	args, err := st.bind(body)
	clear(st.long)
	if err != nil {
		s.writeError(err)
		return
	}
	r, err := s.runPrepared(st, args)
	if err != nil {
		s.writeError(err)
		return
	}
	s.writeResult(r, false, true)
}

// runPrepared runs a prepared statement in the database current at PREPARE.
func (s *session) runPrepared(st *prepared, args []engine.Value) (*outcome, error) {
	db := s.db
	s.db = st.db
	defer func() {
		if s.db == st.db { // a prepared USE keeps its effect
			s.db = db
		}
	}()
	return s.run(st.sql, args)
}

// stmtOf finds the statement whose id starts body.
func (s *session) stmtOf(body []byte, op string) (*prepared, error) {
	if len(body) < 4 {
		return nil, errMalformed
	}
	id := binary.LittleEndian.Uint32(body)
	st := s.stmts[id]
	if st == nil {
		return nil, &Error{Code: mysql.ER_UNKNOWN_STMT_HANDLER, SQLState: "HY000",
			Message: "Unknown prepared statement handler (" + strconv.FormatUint(uint64(id), 10) + ") given to " + op}
	}
	return st, nil
}

// comStmtSendLongData is COM_STMT_SEND_LONG_DATA: a chunk of one
// parameter's value. It has no answer; errors surface at execution.
func (s *session) comStmtSendLongData(body []byte) {
	st, err := s.stmtOf(body, "mysqld_stmt_send_long_data")
	if err != nil || len(body) < 6 {
		return
	}
	i := int(binary.LittleEndian.Uint16(body[4:]))
	if i >= st.params {
		return
	}
	if st.long == nil {
		st.long = make(map[int][]byte)
	}
	if len(st.long[i])+len(body)-6 > maxLongData {
		st.longErr = true
		return
	}
	st.long[i] = append(st.long[i], body[6:]...)
	if st.long[i] == nil {
		st.long[i] = []byte{}
	}
}

// comStmtClose is COM_STMT_CLOSE; it has no answer.
func (s *session) comStmtClose(body []byte) {
	if len(body) >= 4 {
		delete(s.stmts, binary.LittleEndian.Uint32(body))
	}
}

// comStmtReset is COM_STMT_RESET: forget long data.
func (s *session) comStmtReset(body []byte) {
	st, err := s.stmtOf(body, "mysqld_stmt_reset")
	if err != nil {
		s.writeError(err)
		return
	}
	clear(st.long)
	st.longErr = false
	s.writeOK(0, 0, false)
}
