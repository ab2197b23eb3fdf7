package mysqlwire

import (
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"
)

// updatePlan translates UPDATE. Unless the client asked for found rows,
// rows whose values would not change are left alone, so the affected-row
// count is MySQL's "changed rows".
func (r *renderer) updatePlan(x *sqlparser.Update) Plan {
	text := r.capture(func() {
		defer r.with(x.With)()
		target, single := singleTable(x.TableExprs)
		if single {
			r.updateSingle(x, target)
		} else {
			r.updateMulti(x)
		}
	})
	return r.plan(PlanWrite, text)
}

// singleTable returns the table of a one-table UPDATE or DELETE.
func singleTable(tes []sqlparser.TableExpr) (*sqlparser.AliasedTableExpr, bool) {
	if len(tes) != 1 {
		return nil, false
	}
	a, ok := tes[0].(*sqlparser.AliasedTableExpr)
	if !ok {
		return nil, false
	}
	_, isName := a.Expr.(sqlparser.TableName)
	return a, isName
}

func (r *renderer) updateSingle(x *sqlparser.Update, t *sqlparser.AliasedTableExpr) {
	r.w("UPDATE ")
	if bool(x.Ignore) {
		r.w("OR IGNORE ")
	}
	r.targetTable(t)
	r.w(" SET ")
	r.assignments(x.Exprs)
	var cond []func()
	if len(x.OrderBy) > 0 || x.Limit != nil {
		cond = append(cond, func() { r.rowidIn(t, []sqlparser.TableExpr{t}, x.Where, x.OrderBy, x.Limit, "") })
	} else if x.Where != nil {
		cond = append(cond, func() { r.operand(x.Where.Expr) })
	}
	r.whereAll(append(cond, r.changedRows(x.Exprs, leafName(t))...))
}

// targetTable writes the table an UPDATE or DELETE changes, with its alias.
func (r *renderer) targetTable(t *sqlparser.AliasedTableExpr) {
	if len(t.Partitions) > 0 {
		r.fail(errNotSupported("PARTITION"))
	}
	r.tableName(t.Expr.(sqlparser.TableName))
	if !t.As.IsEmpty() {
		r.w(" AS ")
		r.ident(t.As.String())
	}
}

// rowidIn writes rowid IN (SELECT <alias>.rowid FROM from WHERE ... ORDER BY
// ... LIMIT ...): how SQLite, built without UPDATE/DELETE ... LIMIT, and
// without multi-table UPDATE/DELETE, picks the rows.
func (r *renderer) rowidIn(t *sqlparser.AliasedTableExpr, from []sqlparser.TableExpr, where *sqlparser.Where,
	ob sqlparser.OrderBy, l *sqlparser.Limit, alias string) {
	if alias == "" {
		alias = leafName(t)
	}
	r.w("rowid IN (SELECT ")
	r.ident(alias)
	r.w(".rowid FROM ")
	r.tableExprs(from)
	r.where(" WHERE ", where)
	r.orderBy(ob)
	r.limit(l)
	r.wb(')')
}

// changedRows returns the condition that some assignment changes its
// column (compared byte for byte, as MySQL compares rows), unless the client
// wants matched rows counted.
func (r *renderer) changedRows(ues sqlparser.UpdateExprs, table string) []func() {
	if r.cfr {
		return nil
	}
	return []func(){func() {
		r.wb('(')
		for i, ue := range ues {
			if i > 0 {
				r.w(" OR ")
			}
			r.ident(table)
			r.wb('.')
			r.ident(ue.Name.Name.String())
			r.w(" IS NOT ")
			r.operand(ue.Expr)
			r.w(" COLLATE BINARY")
		}
		r.wb(')')
	}}
}

// whereAll writes WHERE c1 AND c2 ..., or nothing for no conditions.
func (r *renderer) whereAll(conds []func()) {
	for i, c := range conds {
		if i == 0 {
			r.w(" WHERE ")
		} else {
			r.w(" AND ")
		}
		c()
	}
}

// updateMulti translates UPDATE over joined tables. When the new values
// use only the updated table, the rows are picked with the whole join
// (any join type); otherwise the other tables move to UPDATE ... FROM,
// which needs inner joins.
func (r *renderer) updateMulti(x *sqlparser.Update) {
	if len(x.OrderBy) > 0 || x.Limit != nil {
		r.fail(errParse("ORDER BY and LIMIT are not allowed in a multiple-table UPDATE"))
		return
	}
	leaves, conds, inner := flattenJoin(x.TableExprs)
	target := updateTarget(x.Exprs, leaves)
	if target == nil {
		r.fail(errNotSupported("UPDATE of several tables at once"))
		return
	}
	r.w("UPDATE ")
	if bool(x.Ignore) {
		r.w("OR IGNORE ")
	}
	if !usesOthers(x.Exprs, leaves, target) {
		r.targetTable(target)
		r.w(" SET ")
		r.assignments(x.Exprs)
		cond := func() { r.rowidIn(target, x.TableExprs, x.Where, nil, nil, leafName(target)) }
		r.whereAll(append([]func(){cond}, r.changedRows(x.Exprs, leafName(target))...))
		return
	}
	if !inner {
		r.fail(errNotSupported("multiple-table UPDATE with outer joins that sets values from other tables"))
		return
	}
	r.updateFrom(x, target, leaves, conds)
}

// updateFrom writes UPDATE target SET ... FROM others WHERE join AND where.
func (r *renderer) updateFrom(x *sqlparser.Update, target *sqlparser.AliasedTableExpr,
	leaves []*sqlparser.AliasedTableExpr, joinConds []sqlparser.Expr) {
	r.targetTable(target)
	r.w(" SET ")
	r.assignments(x.Exprs)
	first := true
	for _, l := range leaves {
		if l == target {
			continue
		}
		r.w(map[bool]string{true: " FROM ", false: ", "}[first])
		first = false
		r.tableExpr(l)
	}
	var conds []func()
	for _, c := range joinConds {
		c := c
		conds = append(conds, func() { r.operand(c) })
	}
	if x.Where != nil {
		conds = append(conds, func() { r.operand(x.Where.Expr) })
	}
	r.whereAll(append(conds, r.changedRows(x.Exprs, leafName(target))...))
}

// flattenJoin lists the tables of a FROM clause and its ON conditions;
// inner is false when some join is not an inner join with ON.
func flattenJoin(tes []sqlparser.TableExpr) (leaves []*sqlparser.AliasedTableExpr, conds []sqlparser.Expr, inner bool) {
	inner = true
	var walk func(te sqlparser.TableExpr)
	walk = func(te sqlparser.TableExpr) {
		switch x := te.(type) {
		case *sqlparser.AliasedTableExpr:
			leaves = append(leaves, x)
		case *sqlparser.JoinTableExpr:
			if x.Join != sqlparser.NormalJoinType && x.Join != sqlparser.StraightJoinType {
				inner = false
			}
			if x.Condition != nil && len(x.Condition.Using) > 0 {
				inner = false
			}
			walk(x.LeftExpr)
			walk(x.RightExpr)
			if x.Condition != nil && x.Condition.On != nil {
				conds = append(conds, x.Condition.On)
			}
		case *sqlparser.ParenTableExpr:
			for _, e := range x.Exprs {
				walk(e)
			}
		default:
			inner = false
		}
	}
	for _, te := range tes {
		walk(te)
	}
	return leaves, conds, inner
}

// leafName is how a FROM item is referred to: its alias, else its table name.
func leafName(a *sqlparser.AliasedTableExpr) string {
	if !a.As.IsEmpty() {
		return a.As.String()
	}
	if tn, ok := a.Expr.(sqlparser.TableName); ok {
		return tn.Name.String()
	}
	return ""
}

// findLeaf returns the FROM item called name.
func findLeaf(leaves []*sqlparser.AliasedTableExpr, name string) *sqlparser.AliasedTableExpr {
	for _, l := range leaves {
		if strings.EqualFold(leafName(l), name) {
			return l
		}
	}
	return nil
}

// updateTarget returns the one table the assignments change (unqualified
// columns belong to the first table), or nil.
func updateTarget(ues sqlparser.UpdateExprs, leaves []*sqlparser.AliasedTableExpr) *sqlparser.AliasedTableExpr {
	var target *sqlparser.AliasedTableExpr
	for _, ue := range ues {
		t := leaves[0]
		if q := ue.Name.Qualifier.Name.String(); q != "" {
			t = findLeaf(leaves, q)
		}
		if t == nil || (target != nil && t != target) {
			return nil
		}
		if _, ok := t.Expr.(sqlparser.TableName); !ok {
			return nil
		}
		target = t
	}
	return target
}

// usesOthers reports whether the new values refer to a joined table other
// than the target.
func usesOthers(ues sqlparser.UpdateExprs, leaves []*sqlparser.AliasedTableExpr, target *sqlparser.AliasedTableExpr) bool {
	found := false
	for _, ue := range ues {
		_ = sqlparser.Walk(func(n sqlparser.SQLNode) (bool, error) {
			if c, ok := n.(*sqlparser.ColName); ok && !c.Qualifier.Name.IsEmpty() {
				if l := findLeaf(leaves, c.Qualifier.Name.String()); l != nil && l != target {
					found = true
				}
			}
			return !found, nil
		}, ue.Expr)
	}
	return found
}
