package mysqlwire

import (
	"context"
	"fmt"

	"github.com/go-mysql-org/go-mysql/mysql"
	"github.com/warren-db/warren/engine"
)

// outcome is the result of one statement: rows, or an OK's counts.
type outcome struct {
	rows     *engine.Rows
	affected uint64
	insertID uint64
}

var okOutcome = &outcome{}

// comQuery is COM_QUERY: every statement of the text in turn, each answered
// with its own result, until the first error.
func (s *session) comQuery(sql string) {
	texts, err := s.srv.tr.SplitStatements(sql)
	switch {
	case err != nil:
		s.writeError(err)
		return
	case len(texts) == 0:
		s.writeError(errEmptyQuery())
		return
	case len(texts) > 1 && !s.multiStatements:
		s.writeError(errParse("this connection did not enable multi-statements (CLIENT_MULTI_STATEMENTS)"))
		return
	}
	for i, text := range texts {
		r, err := s.run(text, nil)
		if err != nil {
			s.writeError(err)
			return
		}
		s.writeResult(r, i < len(texts)-1, false)
	}
}

// run is the one query path: a single statement's text, with the client's
// parameter values (nil for COM_QUERY), translated and run on the engine.
func (s *session) run(text string, args []engine.Value) (*outcome, error) {
	s.srv.questions.Add(1)
	ctx, done := s.command()
	defer done()
	if st, ok := parseAccountStatement(text); ok {
		return s.runAccountStatement(st, args)
	}
	plan, err := s.srv.tr.Translate(text, *s.info())
	if err != nil {
		return nil, err
	}
	if plan.Params != len(args) {
		return nil, errParamMismatch(plan.Params, len(args))
	}
	r, err := s.runPlan(ctx, &plan, text, args)
	if err != nil && ctx.Err() != nil {
		return nil, errInterrupted // KILL QUERY, or the connection is closing
	}
	return r, err
}

// runPlan does what plan says.
func (s *session) runPlan(ctx context.Context, p *Plan, text string, args []engine.Value) (*outcome, error) {
	if p.Kind.ImplicitCommit() && s.tx.open {
		if err := s.commitTx(ctx); err != nil {
			return nil, err
		}
	}
	switch p.Kind {
	case PlanRead:
		return s.read(ctx, p, args)
	case PlanWrite:
		return s.write(ctx, p, text, args)
	case PlanDDL:
		return s.ddl(ctx, p, text)
	case PlanBegin:
		return s.beginTx(p.ReadOnly), nil
	case PlanCommit:
		return okOutcome, s.commitTx(ctx)
	case PlanRollback:
		s.rollbackTx()
		return okOutcome, nil
	case PlanSet:
		return s.set(ctx, p, args)
	case PlanUse:
		return okOutcome, s.use(p.Database)
	case PlanCreateDatabase:
		return s.createDatabase(p)
	case PlanDropDatabase:
		return s.dropDatabase(p)
	case PlanNoop:
		return okOutcome, nil
	case PlanKill:
		return okOutcome, s.killSession(p.KillID, p.KillQuery)
	}
	return nil, fmt.Errorf("run plan: unknown kind %v", p.Kind)
}

// read runs a PlanRead and remembers FOUND_ROWS().
func (s *session) read(ctx context.Context, p *Plan, args []engine.Value) (*outcome, error) {
	db, err := s.database(p, privSelect)
	if err != nil {
		return nil, err
	}
	s.autoBegin()
	rows, err := s.query(ctx, db, engine.Statement{SQL: p.SQL, Params: engine.Params{Positional: args}})
	if err != nil {
		return nil, err
	}
	s.foundRows, s.rowCount = int64(len(rows.Rows)), -1
	if p.FoundRowsSQL != "" {
		st := engine.Statement{SQL: p.FoundRowsSQL, Params: engine.Params{Positional: args[:min(p.FoundRowsParams, len(args))]}}
		n, err := s.queryInt(ctx, db, st)
		if err != nil {
			return nil, err
		}
		s.foundRows = n
	}
	return &outcome{rows: typeColumns(rows, p.ColumnTypes)}, nil
}

// write runs a PlanWrite: in the session's transaction, or as one
// autocommitted write at the session's consistency.
func (s *session) write(ctx context.Context, p *Plan, text string, args []engine.Value) (*outcome, error) {
	db, err := s.database(p, writePrivilege(text))
	if err != nil {
		return nil, err
	}
	s.autoBegin()
	st := engine.Statement{SQL: p.SQL, Params: engine.Params{Positional: args}}
	var res engine.Result
	if s.tx.open {
		res, err = s.txExec(ctx, db, st)
	} else {
		var resp *engine.ExecResponse
		resp, err = s.srv.eng.Exec(ctx, db, []engine.Statement{st}, engine.ExecOptions{Consistency: s.consistency})
		if err == nil {
			res = resp.Results[0]
		}
	}
	if err != nil {
		return nil, err
	}
	r := &outcome{affected: uint64(max(res.RowsAffected, 0)), insertID: s.firstInsertID(p, res)}
	s.rowCount = res.RowsAffected
	if r.insertID != 0 {
		s.lastInsertID = r.insertID
	}
	return r, nil
}

// firstInsertID is the insert id MySQL reports: the first id of the rows an
// INSERT added, where SQLite reports the last. Ids minted in one statement
// are one id stride apart.
func (s *session) firstInsertID(p *Plan, res engine.Result) uint64 {
	id := res.LastInsertID
	if id <= 0 {
		return 0
	}
	if n := int64(p.InsertRows); n > 1 && res.RowsAffected == n {
		if first := id - (n-1)*int64(s.srv.eng.Stride()); first > 0 {
			id = first
		}
	}
	return uint64(id)
}

// ddl runs a PlanDDL's statements as one atomic write.
func (s *session) ddl(ctx context.Context, p *Plan, text string) (*outcome, error) {
	db, err := s.database(p, ddlPrivilege(text))
	if err != nil {
		return nil, err
	}
	sts := make([]engine.Statement, len(p.Statements))
	for i, sql := range p.Statements {
		sts[i] = engine.Statement{SQL: sql}
	}
	if len(sts) > 0 {
		if _, err := s.srv.eng.Exec(ctx, db, sts, engine.ExecOptions{Consistency: s.consistency}); err != nil {
			return nil, err
		}
	}
	s.rowCount = 0
	return okOutcome, nil
}

// database returns the database a plan runs in after checking that the
// session may use it with privilege need. Statements that touch no table
// run in any database.
func (s *session) database(p *Plan, need privilege) (string, error) {
	if p.Database == "" {
		if db := s.anyDatabase(); db != "" {
			return db, nil
		}
		return "", errNoDatabase()
	}
	a := s.account()
	if a == nil || !a.privileges(p.Database).has(need) {
		return "", s.denied(p.Database, need)
	}
	return p.Database, nil
}

// anyDatabase returns a database to run table-less statements in.
func (s *session) anyDatabase() string {
	if s.db != "" {
		return s.db
	}
	dbs := s.srv.eng.Databases()
	for _, d := range dbs {
		if d.Name == s.srv.cfg.DefaultDatabase {
			return d.Name
		}
	}
	if len(dbs) > 0 {
		return dbs[0].Name
	}
	return ""
}

// query runs a read: in the session's transaction when it holds one on db.
func (s *session) query(ctx context.Context, db string, st engine.Statement) (*engine.Rows, error) {
	tx, err := s.readTx(ctx, db)
	if err != nil {
		return nil, err
	}
	if tx != nil {
		rows, err := tx.Query(ctx, st)
		return rows, s.txFailed(err)
	}
	return s.srv.eng.Query(ctx, db, st, engine.QueryOptions{})
}

// queryInt runs a read that returns one integer.
func (s *session) queryInt(ctx context.Context, db string, st engine.Statement) (int64, error) {
	rows, err := s.query(ctx, db, st)
	if err != nil {
		return 0, err
	}
	if len(rows.Rows) == 0 || len(rows.Rows[0]) == 0 {
		return 0, nil
	}
	return intOf(rows.Rows[0][0]), nil
}

// errParamMismatch reports a statement run with the wrong number of values.
func errParamMismatch(want, got int) *Error {
	if got == 0 {
		return errParse("'?' placeholders need a prepared statement")
	}
	return &Error{Code: mysql.ER_WRONG_ARGUMENTS, SQLState: "HY000",
		Message: fmt.Sprintf("Incorrect arguments to mysqld_stmt_execute: %d parameters, %d values", want, got)}
}
