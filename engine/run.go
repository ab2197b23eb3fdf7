package engine

import (
	"github.com/warren-db/warren/engine/internal/sqlite3"
	"github.com/warren-db/warren/engine/internal/sqlparse"
)

// stmtMeta is what the writer learned about a statement before running it.
type stmtMeta struct {
	insert bool              // INSERT/REPLACE: report last_insert_id
	ddl    bool              // changes the schema: resync triggers, log the DDL
	ids    *sqlparse.Rewrite // minted ids to bind as parameters, if any
}

// preparer turns one statement's text into the text to run (for example with
// minted ids) and describes it. Readers use none.
type preparer func(text string) (string, stmtMeta, error)

// runner executes client statements on one connection.
type runner struct {
	conn    *sqlite3.Conn
	prep    preparer // nil: read-only runner
	maxRows int
}

// runOutcome is one statement's result plus what the writer must do after it.
type runOutcome struct {
	Result
	ddl []string // DDL statements that ran, in order
}

// run executes st, which may hold several statements when it has no parameters.
func (r *runner) run(st Statement, readOnly bool) (runOutcome, error) {
	texts, err := splitStatements(st.SQL)
	if err != nil {
		return runOutcome{}, err
	}
	if len(texts) == 0 {
		return runOutcome{}, Errorf(CodeInvalid, "empty statement")
	}
	if len(texts) > 1 && (len(st.Params.Positional) > 0 || len(st.Params.Named) > 0) {
		return runOutcome{}, Errorf(CodeInvalid, "parameters need a single statement; the SQL holds %d", len(texts))
	}
	var out runOutcome
	for _, text := range texts {
		res, meta, err := r.runOne(text, st.Params, readOnly)
		if err != nil {
			return runOutcome{}, err
		}
		out.RowsAffected += res.RowsAffected
		if res.LastInsertID != 0 {
			out.LastInsertID = res.LastInsertID
		}
		if res.Rows != nil {
			out.Rows = res.Rows
		}
		if meta.ddl {
			out.ddl = append(out.ddl, text)
		}
	}
	return out, nil
}

func (r *runner) runOne(text string, p Params, readOnly bool) (Result, stmtMeta, error) {
	var meta stmtMeta
	if r.prep != nil && !readOnly {
		var err error
		if text, meta, err = r.prep(text); err != nil {
			return Result{}, meta, err
		}
	}
	s, err := r.conn.Cached(text)
	if err != nil {
		return Result{}, meta, sqlError(err)
	}
	defer s.Release()
	if (readOnly || r.prep == nil) && !s.ReadOnly() {
		return Result{}, meta, Errorf(CodeReadOnly, "statement writes: send writes to exec, not query")
	}
	if err := bindParams(s, p, meta.ids); err != nil {
		return Result{}, meta, err
	}
	rows, err := collectRows(s, r.maxRows)
	if err != nil {
		return Result{}, meta, err
	}
	res := Result{Rows: rows}
	if !s.ReadOnly() {
		res.RowsAffected = r.conn.Changes()
		if meta.insert && res.RowsAffected > 0 {
			res.LastInsertID = r.conn.LastInsertRowID()
		}
	}
	return res, meta, nil
}

// collectRows steps s to the end, returning its rows when it has columns.
func collectRows(s *sqlite3.Stmt, maxRows int) (*Rows, error) {
	n := s.ColumnCount()
	var rows *Rows
	if n > 0 {
		rows = &Rows{Columns: make([]Column, n), Rows: [][]Value{}}
		for i := range rows.Columns {
			rows.Columns[i] = Column{Name: s.ColumnName(i), DeclType: s.ColumnDeclType(i)}
		}
	}
	for {
		ok, err := s.Step()
		if err != nil {
			return nil, sqlError(err)
		}
		if !ok {
			return rows, nil
		}
		if rows == nil {
			continue
		}
		if maxRows > 0 && len(rows.Rows) >= maxRows {
			return nil, Errorf(CodeTooLarge, "result has more than %d rows: add a LIMIT or page with WHERE", maxRows)
		}
		row := make([]Value, n)
		for i := range row {
			row[i] = s.ColumnValue(i)
		}
		rows.Rows = append(rows.Rows, row)
	}
}
