package cdc

import (
	"strings"

	"github.com/rqlite/sql"

	"github.com/warren-db/warren/engine"
)

// livePlan is how a live query is kept up to date, decided from its SQL.
type livePlan struct {
	// incremental: a single SELECT from one table with optional WHERE and
	// ORDER BY; the result is kept keyed by the table's primary key and only
	// the changed keys are evaluated again. Otherwise the query is run again
	// whole on every relevant change set and the results are diffed.
	incremental bool
	table       string // the table an incremental query reads
	qualifier   string // its alias, or its name
	projection  string // the SELECT list, as the client wrote it
	where       string // the WHERE condition as written ("" when none)
	order       string // the ORDER BY terms as written ("" when none)
	// tables the query reads; nil means every table (unparsed SQL, views,
	// subqueries, common table expressions).
	tables map[string]bool
}

// errNotSelect answers a live query that is not a single SELECT.
var errNotSelect = engine.Errorf(engine.CodeInvalid, "a live query is a single read-only SELECT statement")

// planLive classifies text. It refuses several statements and statements
// other than SELECT; SQL the parser does not know is left to SQLite and
// followed by re-running it on any change.
func planLive(text string) (livePlan, error) {
	toks, err := scanLive(text)
	if err != nil {
		return livePlan{}, err
	}
	stmt, err := sql.NewParser(strings.NewReader(text)).ParseStatement()
	if err != nil {
		return livePlan{}, nil // SQLite judges it; re-run on any change
	}
	sel, ok := stmt.(*sql.SelectStatement)
	if !ok {
		if isWrite(stmt) {
			return livePlan{}, engine.Errorf(engine.CodeReadOnly, "a live query must not write: send writes to exec")
		}
		return livePlan{}, errNotSelect
	}
	plan := livePlan{tables: readTables(sel)}
	if toks.selects != 1 || toks.with {
		plan.tables = nil // subqueries and CTEs: the walk may not see every table they read
		return plan, nil
	}
	if src, ok := incrementalSource(sel); ok {
		plan.incremental = true
		plan.table, plan.qualifier = src.Name.Name, src.TableName()
		plan.projection, plan.where, plan.order = clauses(sel, []rune(text), toks.end)
	}
	return plan, nil
}

// isWrite reports whether stmt changes the database.
func isWrite(stmt sql.Statement) bool {
	switch stmt.(type) {
	case *sql.InsertStatement, *sql.UpdateStatement, *sql.DeleteStatement,
		*sql.CreateTableStatement, *sql.CreateIndexStatement, *sql.CreateViewStatement,
		*sql.CreateTriggerStatement, *sql.CreateVirtualTableStatement, *sql.AlterTableStatement,
		*sql.DropTableStatement, *sql.DropIndexStatement, *sql.DropViewStatement, *sql.DropTriggerStatement:
		return true
	}
	return false
}

// liveTokens is what a scan of the SQL's tokens tells.
type liveTokens struct {
	selects int  // SELECT keywords (more than one: subqueries or compounds)
	with    bool // a WITH clause
	end     int  // rune offset where the statement ends (its semicolon)
}

// scanLive tokenizes text and refuses a second statement.
func scanLive(text string) (liveTokens, error) {
	out := liveTokens{end: len([]rune(text))}
	s := sql.NewScanner(strings.NewReader(text))
	ended := false
	for {
		pos, tok, _ := s.Scan()
		switch {
		case tok == sql.EOF:
			return out, nil
		case tok == sql.COMMENT || tok == sql.SPACE:
		case tok == sql.SEMI:
			if !ended {
				out.end, ended = pos.Offset, true
			}
		case ended:
			return out, engine.Errorf(engine.CodeInvalid, "a live query is a single statement; the SQL holds several")
		case tok == sql.SELECT:
			out.selects++
		case tok == sql.WITH:
			out.with = true
		}
	}
}

// incrementalSource returns the table of a SELECT that can be kept up to
// date incrementally.
func incrementalSource(s *sql.SelectStatement) (*sql.QualifiedTableName, bool) {
	src, ok := s.Source.(*sql.QualifiedTableName)
	if !ok || src.Name == nil || src.Index != nil || src.NotIndexed.IsValid() {
		return nil, false
	}
	if src.Schema != nil && !strings.EqualFold(src.Schema.Name, "main") {
		return nil, false
	}
	if s.WithClause != nil || len(s.ValueLists) > 0 || s.Distinct.IsValid() || len(s.GroupByExprs) > 0 ||
		s.HavingExpr != nil || len(s.Windows) > 0 || s.Compound != nil || s.LimitExpr != nil {
		return nil, false
	}
	return src, !hasAggregate(s)
}

// clauses cuts the SELECT list, the WHERE condition and the ORDER BY terms
// out of the client's text (rune offsets, as the scanner counts), so that
// they run exactly as written.
func clauses(s *sql.SelectStatement, text []rune, end int) (projection, where, order string) {
	from := s.Select.Offset + len("SELECT")
	if s.All.IsValid() {
		from = s.All.Offset + len("ALL")
	}
	projection = string(text[from:s.From.Offset])
	stop := end
	if s.Order.IsValid() {
		stop = s.Order.Offset
		order = string(text[s.OrderBy.Offset+len("BY") : end])
	}
	if s.WhereExpr != nil {
		where = string(text[s.Where.Offset+len("WHERE") : stop])
	}
	return projection, where, order
}

// aggregates are SQLite's aggregate functions: a SELECT that calls one
// outside a window folds rows together and is not kept row by row.
var aggregates = map[string]bool{
	"count": true, "sum": true, "total": true, "avg": true, "group_concat": true, "string_agg": true,
	"json_group_array": true, "json_group_object": true, "jsonb_group_array": true, "jsonb_group_object": true,
}

// hasAggregate reports whether s calls an aggregate or window function.
func hasAggregate(s *sql.SelectStatement) bool {
	found := false
	_, _ = sql.Walk(visitor(func(n sql.Node) bool {
		c, ok := n.(*sql.Call)
		if !ok || c.Name == nil {
			return true
		}
		name := strings.ToLower(c.Name.Name)
		if aggregates[name] || c.Over != nil || c.Filter != nil ||
			(name == "min" || name == "max") && len(c.Args) == 1 {
			found = true
		}
		return !found
	}), s)
	return found
}

// readTables lists the tables named in s's FROM clauses.
func readTables(s *sql.SelectStatement) map[string]bool {
	out := map[string]bool{}
	_, _ = sql.Walk(visitor(func(n sql.Node) bool {
		switch t := n.(type) {
		case *sql.QualifiedTableName:
			if t.Name != nil {
				out[t.Name.Name] = true
			}
		case *sql.QualifiedTableFunctionName:
			if t.Name != nil {
				out[t.Name.Name] = true // not a table: the caller then follows every table
			}
		}
		return true
	}), s)
	return out
}

// visitor adapts a function to sql.Visitor; fn returns false to stop
// descending.
type visitor func(n sql.Node) bool

// Visit calls fn on n.
func (v visitor) Visit(n sql.Node) (sql.Visitor, sql.Node, error) {
	if !v(n) {
		return nil, n, nil
	}
	return v, n, nil
}

// VisitEnd does nothing.
func (v visitor) VisitEnd(n sql.Node) (sql.Node, error) { return n, nil }
