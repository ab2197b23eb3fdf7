package mysqlwire

import (
	"vitess.io/vitess/go/vt/sqlparser"
)

// statement translates one parsed statement into a plan.
func (r *renderer) statement(st sqlparser.Statement) Plan {
	switch x := st.(type) {
	case *sqlparser.Select, *sqlparser.Union:
		return r.readPlan(x.(sqlparser.TableStatement))
	case *sqlparser.Insert:
		return r.insertPlan(x)
	case *sqlparser.Update:
		return r.updatePlan(x)
	case *sqlparser.Delete:
		return r.deletePlan(x)
	case *sqlparser.Set:
		return r.setPlan(x)
	case *sqlparser.Show:
		return r.showPlan(x)
	case *sqlparser.ExplainTab:
		return r.describePlan(x)
	case *sqlparser.ExplainStmt:
		return r.explainPlan(x)
	case *sqlparser.CommentOnly:
		r.fail(errEmptyQuery())
		return Plan{}
	}
	if p, ok := r.txStatement(st); ok {
		return p
	}
	if p, ok := r.ddlStatement(st); ok {
		return p
	}
	if p, ok := r.adminStatement(st); ok {
		return p
	}
	r.fail(errNotSupportedf("%s", describe(st)))
	return Plan{}
}

// txStatement translates transaction control.
func (r *renderer) txStatement(st sqlparser.Statement) (Plan, bool) {
	switch x := st.(type) {
	case *sqlparser.Begin:
		p := Plan{Kind: PlanBegin}
		for _, m := range x.TxAccessModes {
			if m == sqlparser.ReadOnly {
				p.ReadOnly = true
			}
		}
		return p, true
	case *sqlparser.Commit:
		return Plan{Kind: PlanCommit}, true
	case *sqlparser.Rollback:
		return Plan{Kind: PlanRollback}, true
	case *sqlparser.Savepoint, *sqlparser.SRollback, *sqlparser.Release:
		r.fail(errNotSupported("SAVEPOINT"))
		return Plan{}, true
	}
	return Plan{}, false
}

// readPlan translates SELECT and UNION. SQL_CALC_FOUND_ROWS adds the count
// query FOUND_ROWS() needs.
func (r *renderer) readPlan(s sqlparser.TableStatement) Plan {
	if r.topExprs = topSelectExprs(s); r.topExprs != nil {
		if texts := r.t.selectTexts(r.src); len(texts) == len(r.topExprs.Exprs) {
			r.topTexts = texts
		}
	}
	text := r.capture(func() { r.selectStatement(s, selectOpts{}) })
	var count string
	if calcFoundRows(s) {
		count = r.capture(func() {
			r.w("SELECT count(*) FROM (")
			r.selectStatement(s, selectOpts{noOrderLimit: true})
			r.w(")")
		})
	}
	p := r.plan(PlanRead, text)
	p.ColumnTypes = columnTypeHints(r.topExprs)
	if count != "" {
		p.FoundRowsSQL, p.FoundRowsParams = finish(count, p.Database)
	}
	return p
}

// calcFoundRows reports SELECT SQL_CALC_FOUND_ROWS (on the first SELECT of
// a UNION).
func calcFoundRows(s sqlparser.TableStatement) bool {
	for {
		switch x := s.(type) {
		case *sqlparser.Select:
			return x.SQLCalcFoundRows
		case *sqlparser.Union:
			s = x.Left
		default:
			return false
		}
	}
}

// plan finishes a read or write plan whose SQLite text is text.
func (r *renderer) plan(kind PlanKind, text string) Plan {
	db, err := r.planDatabase()
	if err != nil {
		r.fail(err)
		return Plan{}
	}
	sql, _ := finish(text, db)
	return Plan{Kind: kind, Database: db, SQL: sql}
}
