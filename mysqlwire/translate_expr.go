package mysqlwire

import (
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"
)

// expr writes a MySQL expression as SQLite.
func (r *renderer) expr(e sqlparser.Expr) {
	if r.err != nil {
		return
	}
	switch x := e.(type) {
	case *sqlparser.ColName:
		r.colName(x)
	case *sqlparser.Literal:
		r.literal(x)
	case *sqlparser.NullVal:
		r.w("NULL")
	case sqlparser.BoolVal:
		r.w(map[bool]string{true: "1", false: "0"}[bool(x)])
	case *sqlparser.Argument:
		r.argument(x)
	case *sqlparser.Variable:
		r.variable(x)
	case sqlparser.ValTuple:
		r.tuple(x)
	case *sqlparser.Subquery:
		r.subquery(x.Select)
	case *sqlparser.ExistsExpr:
		r.w("EXISTS ")
		r.subquery(x.Subquery.Select)
	case *sqlparser.AndExpr:
		r.chain(x.Left, " AND ", x.Right, isAnd)
	case *sqlparser.OrExpr:
		r.chain(x.Left, " OR ", x.Right, isOr)
	case *sqlparser.XorExpr:
		r.w("((")
		r.operand(x.Left)
		r.w(" <> 0) <> (")
		r.operand(x.Right)
		r.w(" <> 0))")
	case *sqlparser.NotExpr:
		r.w("NOT ")
		r.operand(x.Expr)
	default:
		r.expr2(e)
	}
}

// expr2 continues expr (kept apart to keep functions short).
func (r *renderer) expr2(e sqlparser.Expr) {
	switch x := e.(type) {
	case *sqlparser.ComparisonExpr:
		r.comparison(x)
	case *sqlparser.BetweenExpr:
		r.operand(x.Left)
		r.w(map[bool]string{true: " BETWEEN ", false: " NOT BETWEEN "}[x.IsBetween])
		r.operand(x.From)
		r.w(" AND ")
		r.operand(x.To)
	case *sqlparser.IsExpr:
		r.operand(x.Left)
		r.w(isOperators[x.Right])
	case *sqlparser.BinaryExpr:
		r.binary(x)
	case *sqlparser.UnaryExpr:
		r.unary(x)
	case *sqlparser.IntroducerExpr:
		r.introducer(x)
	case *sqlparser.CollateExpr:
		r.operand(x.Expr)
		r.w(" COLLATE ")
		r.w(r.collation(x.Collation))
	case *sqlparser.CaseExpr:
		r.caseExpr(x)
	case *sqlparser.ValuesFuncExpr:
		r.valuesFunc(x)
	default:
		r.callable(e)
	}
}

var isOperators = map[sqlparser.IsExprOperator]string{
	sqlparser.IsNullOp: " IS NULL", sqlparser.IsNotNullOp: " IS NOT NULL",
	sqlparser.IsTrueOp: " IS TRUE", sqlparser.IsNotTrueOp: " IS NOT TRUE",
	sqlparser.IsFalseOp: " IS FALSE", sqlparser.IsNotFalseOp: " IS NOT FALSE",
}

func isAnd(e sqlparser.Expr) bool { _, ok := e.(*sqlparser.AndExpr); return ok }
func isOr(e sqlparser.Expr) bool  { _, ok := e.(*sqlparser.OrExpr); return ok }

// chain writes an associative operator without parenthesizing operands that
// use the same operator.
func (r *renderer) chain(left sqlparser.Expr, op string, right sqlparser.Expr, same func(sqlparser.Expr) bool) {
	for i, side := range []sqlparser.Expr{left, right} {
		if i == 1 {
			r.w(op)
		}
		if same(side) {
			r.expr(side)
		} else {
			r.operand(side)
		}
	}
}

// operand writes e, parenthesized when it is an operator expression.
func (r *renderer) operand(e sqlparser.Expr) {
	if !needsParens(e) {
		r.expr(e)
		return
	}
	r.wb('(')
	r.expr(e)
	r.wb(')')
}

func needsParens(e sqlparser.Expr) bool {
	switch e.(type) {
	case *sqlparser.AndExpr, *sqlparser.OrExpr, *sqlparser.NotExpr, *sqlparser.ComparisonExpr,
		*sqlparser.BetweenExpr, *sqlparser.IsExpr, *sqlparser.BinaryExpr, *sqlparser.UnaryExpr,
		*sqlparser.CollateExpr, *sqlparser.IntroducerExpr, *sqlparser.ExistsExpr:
		return true
	}
	return false
}

// list writes expressions separated by commas.
func (r *renderer) list(es []sqlparser.Expr) {
	for i, e := range es {
		if i > 0 {
			r.w(", ")
		}
		r.expr(e)
	}
}

func (r *renderer) tuple(t sqlparser.ValTuple) {
	r.wb('(')
	r.list(t)
	r.wb(')')
}

// colName writes a column reference, dropping a database qualifier.
func (r *renderer) colName(c *sqlparser.ColName) {
	q := c.Qualifier
	if !q.Name.IsEmpty() {
		if r.onDup && r.rowAlias != "" && strings.EqualFold(q.Name.String(), r.rowAlias) && q.Qualifier.IsEmpty() {
			r.w("excluded.")
			r.ident(c.Name.String())
			return
		}
		if db := q.Qualifier.String(); db != "" && !strings.EqualFold(db, "information_schema") {
			r.dbs[db] = true
		}
		r.ident(q.Name.String())
		r.wb('.')
	}
	r.ident(c.Name.String())
}

// valuesFunc writes VALUES(col) of ON DUPLICATE KEY UPDATE.
func (r *renderer) valuesFunc(v *sqlparser.ValuesFuncExpr) {
	if !r.onDup {
		r.w("NULL") // MySQL: VALUES() outside ON DUPLICATE KEY UPDATE is NULL
		return
	}
	r.w("excluded.")
	r.ident(v.Name.Name.String())
}

// subquery writes a parenthesized SELECT.
func (r *renderer) subquery(s sqlparser.TableStatement) {
	r.wb('(')
	r.selectStatement(s, selectOpts{})
	r.wb(')')
}

func (r *renderer) caseExpr(c *sqlparser.CaseExpr) {
	r.w("CASE")
	if c.Expr != nil {
		r.wb(' ')
		r.operand(c.Expr)
	}
	for _, w := range c.Whens {
		r.w(" WHEN ")
		r.expr(w.Cond)
		r.w(" THEN ")
		r.expr(w.Val)
	}
	if c.Else != nil {
		r.w(" ELSE ")
		r.expr(c.Else)
	}
	r.w(" END")
}

// variable writes @@system or @user variables as holes.
func (r *renderer) variable(v *sqlparser.Variable) {
	name := r.checkName(v.Name.Lowered())
	switch v.Scope {
	case sqlparser.VariableScope:
		r.holeText(holeUserVar, name)
	case sqlparser.GlobalScope:
		r.knownVar(name)
		r.holeText(holeGlobalVar, name)
	case sqlparser.SessionScope, sqlparser.NextTxScope, sqlparser.NoScope:
		r.knownVar(name)
		r.holeText(holeSessionVar, name)
	default:
		r.fail(errNotSupportedf("variable scope of %s", sqlparser.String(v)))
	}
}

// knownVar fails for system variables Warren does not know.
func (r *renderer) knownVar(name string) {
	if _, ok := r.t.vars[name]; !ok && !sessionValueVars[name] {
		r.fail(errUnknownSystemVariable(name))
	}
}
