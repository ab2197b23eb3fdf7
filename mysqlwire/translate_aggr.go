package mysqlwire

import (
	"vitess.io/vitess/go/vt/sqlparser"
)

// aggregate writes aggregate functions; it reports false for other nodes.
func (r *renderer) aggregate(e sqlparser.Expr) bool {
	switch x := e.(type) {
	case *sqlparser.CountStar:
		r.w("count(*)")
		r.over(x.OverClause)
	case *sqlparser.Count:
		if x.Distinct && len(x.Args) > 1 {
			r.fail(errNotSupported("COUNT(DISTINCT) of several expressions"))
		}
		r.aggr("count", x.Distinct, x.Args...)
		r.over(x.OverClause)
	case *sqlparser.Sum:
		r.aggr("sum", x.Distinct, x.Arg)
		r.over(x.OverClause)
	case *sqlparser.Avg:
		r.aggr("avg", x.Distinct, x.Arg)
		r.over(x.OverClause)
	case *sqlparser.Max:
		r.aggr("max", x.Distinct, x.Arg)
		r.over(x.OverClause)
	case *sqlparser.Min:
		r.aggr("min", x.Distinct, x.Arg)
		r.over(x.OverClause)
	case *sqlparser.GroupConcatExpr:
		r.groupConcat(x)
	case *sqlparser.AnyValue:
		r.expr(x.Arg)
	default:
		return false
	}
	return true
}

func (r *renderer) aggr(fn string, distinct bool, args ...sqlparser.Expr) {
	r.w(fn)
	r.wb('(')
	if distinct {
		r.w("DISTINCT ")
	}
	r.list(args)
	r.wb(')')
}

// groupConcat writes GROUP_CONCAT. Several expressions are concatenated
// (a row where one is NULL is skipped, as in MySQL). SQLite's DISTINCT
// aggregates take one argument, so DISTINCT keeps the default separator.
func (r *renderer) groupConcat(g *sqlparser.GroupConcatExpr) {
	if g.Limit != nil {
		r.fail(errNotSupported("GROUP_CONCAT ... LIMIT"))
		return
	}
	sep := r.separator(g.Separator)
	if g.Distinct && sep != sqlparser.GroupConcatDefaultSeparator {
		r.fail(errNotSupported("GROUP_CONCAT(DISTINCT ... SEPARATOR)"))
		return
	}
	r.w("group_concat(")
	if g.Distinct {
		r.w("DISTINCT ")
	}
	for i, e := range g.Exprs {
		if i > 0 {
			r.w(" || ")
		}
		r.operand(e)
	}
	if !g.Distinct {
		r.w(", ")
		writeString(r.b, sep)
	}
	r.orderBy(g.OrderBy)
	r.wb(')')
}

// window writes window functions; it reports false for other nodes.
func (r *renderer) window(e sqlparser.Expr) bool {
	switch x := e.(type) {
	case *sqlparser.ArgumentLessWindowExpr:
		r.w(x.Type.ToString() + "()")
		r.over(x.OverClause)
	case *sqlparser.FirstOrLastValueExpr:
		r.nullTreatment(x.NullTreatmentClause)
		r.w(x.Type.ToString())
		r.tpl("($1)", x.Expr)
		r.over(x.OverClause)
	case *sqlparser.NtileExpr:
		r.tpl("ntile($1)", x.N)
		r.over(x.OverClause)
	case *sqlparser.NTHValueExpr:
		if x.FromFirstLastClause != nil && x.FromFirstLastClause.Type == sqlparser.FromLastType {
			r.fail(errNotSupported("NTH_VALUE ... FROM LAST"))
		}
		r.nullTreatment(x.NullTreatmentClause)
		r.tpl("nth_value($1, $2)", x.Expr, x.N)
		r.over(x.OverClause)
	case *sqlparser.LagLeadExpr:
		r.lagLead(x)
	default:
		return false
	}
	return true
}

func (r *renderer) lagLead(x *sqlparser.LagLeadExpr) {
	r.nullTreatment(x.NullTreatmentClause)
	r.w(x.Type.ToString())
	r.wb('(')
	r.expr(x.Expr)
	if x.N != nil {
		r.w(", ")
		r.expr(x.N)
		if x.Default != nil {
			r.w(", ")
			r.expr(x.Default)
		}
	}
	r.wb(')')
	r.over(x.OverClause)
}

func (r *renderer) nullTreatment(n *sqlparser.NullTreatmentClause) {
	if n != nil && n.Type == sqlparser.IgnoreNullsType {
		r.fail(errNotSupported("IGNORE NULLS"))
	}
}

// over writes an OVER clause, if any.
func (r *renderer) over(o *sqlparser.OverClause) {
	if o == nil {
		return
	}
	r.w(" OVER ")
	if o.WindowSpec == nil {
		r.ident(o.WindowName.String())
		return
	}
	r.windowSpec(o.WindowSpec)
}

func (r *renderer) windowSpec(s *sqlparser.WindowSpecification) {
	r.wb('(')
	mark := r.b.Len()
	if !s.Name.IsEmpty() {
		r.ident(s.Name.String())
	}
	if len(s.PartitionClause) > 0 {
		r.spaceAfter(mark)
		r.w("PARTITION BY ")
		r.list(s.PartitionClause)
	}
	if len(s.OrderClause) > 0 {
		r.orderBy(s.OrderClause)
	}
	if s.FrameClause != nil {
		r.spaceAfter(mark)
		r.frame(s.FrameClause)
	}
	r.wb(')')
}

// spaceAfter writes a space unless nothing was written since mark.
func (r *renderer) spaceAfter(mark int) {
	if s := r.b.String(); r.b.Len() > mark && s[len(s)-1] != ' ' {
		r.wb(' ')
	}
}

func (r *renderer) frame(f *sqlparser.FrameClause) {
	r.w(map[sqlparser.FrameUnitType]string{sqlparser.FrameRowsType: "ROWS ", sqlparser.FrameRangeType: "RANGE "}[f.Unit])
	if f.End == nil {
		r.framePoint(f.Start)
		return
	}
	r.w("BETWEEN ")
	r.framePoint(f.Start)
	r.w(" AND ")
	r.framePoint(f.End)
}

func (r *renderer) framePoint(p *sqlparser.FramePoint) {
	switch p.Type {
	case sqlparser.CurrentRowType:
		r.w("CURRENT ROW")
	case sqlparser.UnboundedPrecedingType:
		r.w("UNBOUNDED PRECEDING")
	case sqlparser.UnboundedFollowingType:
		r.w("UNBOUNDED FOLLOWING")
	case sqlparser.ExprPrecedingType, sqlparser.ExprFollowingType:
		if p.Unit != sqlparser.IntervalNone {
			r.fail(errNotSupported("INTERVAL window frames"))
		}
		r.operand(p.Expr)
		r.w(map[bool]string{true: " PRECEDING", false: " FOLLOWING"}[p.Type == sqlparser.ExprPrecedingType])
	}
}

// windows writes a WINDOW clause.
func (r *renderer) windows(ws sqlparser.NamedWindows) {
	first := true
	for _, nw := range ws {
		for _, d := range nw.Windows {
			if first {
				r.w(" WINDOW ")
				first = false
			} else {
				r.w(", ")
			}
			r.ident(d.Name.String())
			r.w(" AS ")
			r.windowSpec(d.WindowSpec)
		}
	}
}

// separator decodes GROUP_CONCAT's SEPARATOR, which the parser keeps as SQL
// text ("" when absent: the default comma).
func (r *renderer) separator(encoded string) string {
	if encoded == "" {
		return sqlparser.GroupConcatDefaultSeparator
	}
	e, err := r.t.parser.ParseExpr(encoded)
	if l, ok := e.(*sqlparser.Literal); err == nil && ok {
		return l.Val
	}
	r.fail(errParse("bad SEPARATOR " + encoded))
	return ""
}
