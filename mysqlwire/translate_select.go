package mysqlwire

import (
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"
)

// selectOpts tune how a SELECT is written.
type selectOpts struct {
	noOrderLimit bool // leave out ORDER BY and LIMIT (the FOUND_ROWS count query)
}

// selectStatement writes a SELECT or a UNION.
func (r *renderer) selectStatement(s sqlparser.TableStatement, o selectOpts) {
	if r.err != nil {
		return
	}
	switch x := s.(type) {
	case *sqlparser.Select:
		r.selectOne(x, o)
	case *sqlparser.Union:
		r.union(x, o)
	default:
		r.fail(errNotSupportedf("%s", describe(s)))
	}
}

// selectOne writes one SELECT.
func (r *renderer) selectOne(s *sqlparser.Select, o selectOpts) {
	if s.Into != nil {
		r.fail(errNotSupported("SELECT ... INTO"))
		return
	}
	defer r.with(s.With)()
	r.w("SELECT ")
	if s.Distinct {
		r.w("DISTINCT ")
	}
	r.selectExprs(s.SelectExprs)
	r.from(s.From)
	r.where(" WHERE ", s.Where)
	r.groupBy(s.GroupBy)
	r.where(" HAVING ", s.Having)
	r.windows(s.Windows)
	if !o.noOrderLimit {
		r.orderBy(s.OrderBy)
		r.limit(s.Limit)
	}
}

// with writes a WITH clause and brings its names into scope; the returned
// function takes them out again.
func (r *renderer) with(w *sqlparser.With) func() {
	if w == nil {
		return func() {}
	}
	saved := len(r.ctes)
	r.w("WITH ")
	if w.Recursive {
		r.w("RECURSIVE ")
	}
	for _, c := range w.CTEs {
		r.ctes = append(r.ctes, c.ID.String())
	}
	for i, c := range w.CTEs {
		if i > 0 {
			r.w(", ")
		}
		r.ident(c.ID.String())
		if len(c.Columns) > 0 {
			r.columnList(c.Columns)
		}
		r.w(" AS ")
		r.subquery(c.Subquery)
	}
	r.wb(' ')
	return func() { r.ctes = r.ctes[:saved] }
}

// union writes UNION [ALL] chains. SQLite allows ORDER BY and LIMIT only on
// the whole compound, so a member that has them becomes a subquery.
func (r *renderer) union(u *sqlparser.Union, o selectOpts) {
	if u.Into != nil {
		r.fail(errNotSupported("SELECT ... INTO"))
		return
	}
	defer r.with(u.With)()
	r.unionMember(u.Left)
	if u.Distinct {
		r.w(" UNION ")
	} else {
		r.w(" UNION ALL ")
	}
	r.unionMember(u.Right)
	if !o.noOrderLimit {
		r.orderBy(u.OrderBy)
		r.limit(u.Limit)
	}
}

func (r *renderer) unionMember(s sqlparser.TableStatement) {
	switch x := s.(type) {
	case *sqlparser.Union:
		if len(x.OrderBy) == 0 && x.Limit == nil && x.With == nil {
			r.union(x, selectOpts{})
			return
		}
	case *sqlparser.Select:
		if len(x.OrderBy) == 0 && x.Limit == nil && x.With == nil {
			r.selectOne(x, selectOpts{})
			return
		}
	}
	r.w("SELECT * FROM (")
	r.selectStatement(s, selectOpts{})
	r.w(")")
}

// selectExprs writes the select list. An expression without an alias gets
// the name MySQL would give its column.
func (r *renderer) selectExprs(se *sqlparser.SelectExprs) {
	for i, e := range se.Exprs {
		if i > 0 {
			r.w(", ")
		}
		switch x := e.(type) {
		case *sqlparser.StarExpr:
			if !x.TableName.Name.IsEmpty() {
				r.noteQualifier(x.TableName)
				r.ident(x.TableName.Name.String())
				r.wb('.')
			}
			r.wb('*')
		case *sqlparser.AliasedExpr:
			r.aliasedExpr(x, r.sourceText(se, i))
		default:
			r.fail(errNotSupportedf("%s", describe(e)))
		}
	}
}

// sourceText returns the client's text of expression i of the select list
// the client sees, or "".
func (r *renderer) sourceText(se *sqlparser.SelectExprs, i int) string {
	if se != r.topExprs || r.topTexts == nil {
		return ""
	}
	return r.topTexts[i]
}

func (r *renderer) aliasedExpr(x *sqlparser.AliasedExpr, source string) {
	r.expr(x.Expr)
	switch {
	case !x.As.IsEmpty():
		r.w(" AS ")
		r.ident(x.As.String())
	case !isColumn(x.Expr):
		r.w(" AS ")
		r.ident(strings.Map(func(c rune) rune {
			if isMarkerRune(c) {
				return -1
			}
			return c
		}, mysqlColumnName(x.Expr, source)))
	}
}

func isColumn(e sqlparser.Expr) bool {
	_, ok := e.(*sqlparser.ColName)
	return ok
}

// mysqlColumnName is the name MySQL gives an unaliased column: the
// expression's text as written (source, when known), a string literal's
// value.
func mysqlColumnName(e sqlparser.Expr, source string) string {
	if l, ok := e.(*sqlparser.Literal); ok && l.Type == sqlparser.StrVal {
		return l.Val
	}
	if _, ok := e.(*sqlparser.NullVal); ok {
		return "NULL"
	}
	if source != "" {
		return source
	}
	return sqlparser.String(e)
}

// noteQualifier records the database of a db.table qualifier.
func (r *renderer) noteQualifier(tn sqlparser.TableName) {
	if q := tn.Qualifier.String(); q != "" && !strings.EqualFold(q, "information_schema") {
		r.dbs[q] = true
	}
}

func (r *renderer) where(kw string, w *sqlparser.Where) {
	if w == nil || w.Expr == nil {
		return
	}
	r.w(kw)
	r.expr(w.Expr)
}

func (r *renderer) groupBy(g *sqlparser.GroupBy) {
	if g == nil || len(g.Exprs) == 0 {
		return
	}
	if g.WithRollup {
		r.fail(errNotSupported("GROUP BY ... WITH ROLLUP"))
	}
	r.w(" GROUP BY ")
	r.list(g.Exprs)
}

func (r *renderer) orderBy(ob sqlparser.OrderBy) {
	for i, o := range ob {
		if i == 0 {
			r.w(" ORDER BY ")
		} else {
			r.w(", ")
		}
		r.expr(o.Expr)
		if o.Direction == sqlparser.DescOrder {
			r.w(" DESC")
		}
	}
}

// limit writes LIMIT count [OFFSET skip] for MySQL's LIMIT [skip,] count.
// With placeholders it keeps SQLite's LIMIT skip, count, which means the
// same and keeps them in the client's order.
func (r *renderer) limit(l *sqlparser.Limit) {
	switch {
	case l == nil:
	case l.Rowcount == nil && l.Offset != nil:
		r.w(" LIMIT -1 OFFSET ")
		r.expr(l.Offset)
	case l.Offset == nil:
		r.w(" LIMIT ")
		r.expr(l.Rowcount)
	case isArgument(l.Offset) || isArgument(l.Rowcount):
		r.w(" LIMIT ")
		r.expr(l.Offset)
		r.w(", ")
		r.expr(l.Rowcount)
	default:
		r.w(" LIMIT ")
		r.expr(l.Rowcount)
		r.w(" OFFSET ")
		r.expr(l.Offset)
	}
}

func isArgument(e sqlparser.Expr) bool {
	_, ok := e.(*sqlparser.Argument)
	return ok
}

// columnList writes a parenthesized list of column names.
func (r *renderer) columnList(cols sqlparser.Columns) {
	r.wb('(')
	for i, c := range cols {
		if i > 0 {
			r.w(", ")
		}
		r.ident(c.String())
	}
	r.wb(')')
}

// describe names a node for an error message.
func describe(n sqlparser.SQLNode) string {
	s := sqlparser.String(n)
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}
