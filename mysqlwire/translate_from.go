package mysqlwire

import (
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"
)

// from writes a FROM clause; MySQL's FROM DUAL becomes no FROM at all.
func (r *renderer) from(tes []sqlparser.TableExpr) {
	if len(tes) == 0 || isDual(tes) {
		return
	}
	r.w(" FROM ")
	r.tableExprs(tes)
}

func isDual(tes []sqlparser.TableExpr) bool {
	if len(tes) != 1 {
		return false
	}
	a, ok := tes[0].(*sqlparser.AliasedTableExpr)
	if !ok {
		return false
	}
	tn, ok := a.Expr.(sqlparser.TableName)
	return ok && tn.Qualifier.IsEmpty() && strings.EqualFold(tn.Name.String(), "dual")
}

func (r *renderer) tableExprs(tes []sqlparser.TableExpr) {
	for i, te := range tes {
		if i > 0 {
			r.w(", ")
		}
		r.tableExpr(te)
	}
}

// tableExpr writes one FROM item. Index hints are dropped: SQLite plans on
// its own, and INDEXED BY would fail for MySQL's index names.
func (r *renderer) tableExpr(te sqlparser.TableExpr) {
	switch x := te.(type) {
	case *sqlparser.AliasedTableExpr:
		r.aliasedTable(x)
	case *sqlparser.JoinTableExpr:
		r.join(x)
	case *sqlparser.ParenTableExpr:
		r.wb('(')
		r.tableExprs(x.Exprs)
		r.wb(')')
	default:
		r.fail(errNotSupportedf("%s", describe(te)))
	}
}

func (r *renderer) aliasedTable(a *sqlparser.AliasedTableExpr) {
	if len(a.Partitions) > 0 {
		r.fail(errNotSupported("PARTITION"))
		return
	}
	if len(a.Columns) > 0 {
		r.fail(errNotSupported("derived table column lists"))
		return
	}
	switch x := a.Expr.(type) {
	case sqlparser.TableName:
		if strings.EqualFold(x.Qualifier.String(), "information_schema") {
			r.infoSchemaTable(x.Name.String(), a.As.String())
			return
		}
		r.tableName(x)
	case *sqlparser.DerivedTable:
		if x.Lateral {
			r.fail(errNotSupported("LATERAL"))
			return
		}
		r.subquery(x.Select)
	default:
		r.fail(errNotSupportedf("%s", describe(a)))
	}
	if !a.As.IsEmpty() {
		r.w(" AS ")
		r.ident(a.As.String())
	}
}

var joinKeywords = map[sqlparser.JoinType]string{
	sqlparser.NormalJoinType:       " JOIN ",
	sqlparser.StraightJoinType:     " JOIN ",
	sqlparser.LeftJoinType:         " LEFT JOIN ",
	sqlparser.RightJoinType:        " RIGHT JOIN ",
	sqlparser.NaturalJoinType:      " NATURAL JOIN ",
	sqlparser.NaturalLeftJoinType:  " NATURAL LEFT JOIN ",
	sqlparser.NaturalRightJoinType: " NATURAL RIGHT JOIN ",
}

func (r *renderer) join(j *sqlparser.JoinTableExpr) {
	r.tableExpr(j.LeftExpr)
	r.w(joinKeywords[j.Join])
	if _, nested := j.RightExpr.(*sqlparser.JoinTableExpr); nested {
		r.wb('(')
		r.tableExpr(j.RightExpr)
		r.wb(')')
	} else {
		r.tableExpr(j.RightExpr)
	}
	if j.Condition == nil {
		return
	}
	if j.Condition.On != nil {
		r.w(" ON ")
		r.expr(j.Condition.On)
	}
	if len(j.Condition.Using) > 0 {
		r.w(" USING ")
		r.columnList(j.Condition.Using)
	}
}
