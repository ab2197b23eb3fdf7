package mysqlwire

import (
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"
)

// deletePlan translates DELETE. ORDER BY/LIMIT and multiple-table DELETE
// pick the rows with rowid IN (SELECT ...).
func (r *renderer) deletePlan(x *sqlparser.Delete) Plan {
	if len(x.Partitions) > 0 {
		r.fail(errNotSupported("PARTITION"))
		return Plan{}
	}
	text := r.capture(func() {
		defer r.with(x.With)()
		t, single := singleTable(x.TableExprs)
		if single && len(x.Targets) == 0 {
			r.deleteSingle(x, t)
			return
		}
		r.deleteMulti(x)
	})
	return r.plan(PlanWrite, text)
}

func (r *renderer) deleteSingle(x *sqlparser.Delete, t *sqlparser.AliasedTableExpr) {
	r.w("DELETE FROM ")
	r.targetTable(t)
	if len(x.OrderBy) > 0 || x.Limit != nil {
		r.w(" WHERE ")
		r.rowidIn(t, []sqlparser.TableExpr{t}, x.Where, x.OrderBy, x.Limit, "")
		return
	}
	r.where(" WHERE ", x.Where)
}

// deleteMulti translates DELETE t FROM t JOIN ... Several targets are
// possible when they are one table under several aliases (WordPress's
// expired-transient cleanup): SQLite deletes from one table per statement.
func (r *renderer) deleteMulti(x *sqlparser.Delete) {
	if len(x.Targets) == 0 {
		r.fail(errNotSupported("DELETE without a target table"))
		return
	}
	leaves, _, _ := flattenJoin(x.TableExprs)
	var table sqlparser.TableName
	var aliases []string
	for i, target := range x.Targets {
		t := findLeaf(leaves, target.Name.String())
		if t == nil {
			r.fail(&Error{Code: ErrCodeUnknownTable, SQLState: "42S02", Message: "Unknown table '" + target.Name.String() + "' in MULTI DELETE"})
			return
		}
		tn, ok := t.Expr.(sqlparser.TableName)
		if !ok || (i > 0 && !sameTable(tn, table)) {
			r.fail(errNotSupported("DELETE from several tables at once"))
			return
		}
		table = tn
		aliases = append(aliases, leafName(t))
	}
	r.w("DELETE FROM ")
	r.tableName(table)
	r.w(" WHERE rowid IN (")
	for i, a := range aliases {
		if i > 0 {
			r.w(" UNION ")
		}
		r.w("SELECT ")
		r.ident(a)
		r.w(".rowid FROM ")
		r.tableExprs(x.TableExprs)
		r.where(" WHERE ", x.Where)
		if len(aliases) == 1 {
			r.orderBy(x.OrderBy)
			r.limit(x.Limit)
		}
	}
	r.wb(')')
}

// sameTable reports whether two names are the same table.
func sameTable(a, b sqlparser.TableName) bool {
	return strings.EqualFold(a.Name.String(), b.Name.String()) && strings.EqualFold(a.Qualifier.String(), b.Qualifier.String())
}
