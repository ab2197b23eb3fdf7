package mysqlwire

import (
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"
)

// insertPlan translates INSERT, INSERT IGNORE, REPLACE and ON DUPLICATE KEY
// UPDATE (a SQLite upsert without a conflict target, which like MySQL's
// catches a collision on any unique key).
func (r *renderer) insertPlan(x *sqlparser.Insert) Plan {
	tn, ok := x.Table.Expr.(sqlparser.TableName)
	switch {
	case !ok:
		r.fail(errNotSupportedf("%s", describe(x)))
		return Plan{}
	case len(x.Partitions) > 0:
		r.fail(errNotSupported("PARTITION"))
		return Plan{}
	case strings.EqualFold(tn.Qualifier.String(), "information_schema"):
		r.fail(errNotSupported("writing to information_schema"))
		return Plan{}
	}
	rows := 0
	text := r.capture(func() {
		r.insertVerb(x)
		r.tableName(tn)
		if !x.Table.As.IsEmpty() {
			r.w(" AS ")
			r.ident(x.Table.As.String())
		}
		rows = r.insertRows(x)
		r.onDuplicate(x)
	})
	if !paramsOrdered(text) {
		// ?NNN would collide with the named id parameters the engine adds
		r.fail(errNotSupported("an INSERT whose placeholders the translation must reorder; pass those values inline"))
		return Plan{}
	}
	p := r.plan(PlanWrite, text)
	p.InsertRows = rows
	return p
}

func (r *renderer) insertVerb(x *sqlparser.Insert) {
	switch {
	case x.Action == sqlparser.ReplaceAct:
		r.w("REPLACE INTO ")
	case bool(x.Ignore):
		r.w("INSERT OR IGNORE INTO ")
	default:
		r.w("INSERT INTO ")
	}
}

// insertRows writes the columns and rows; it returns the number of VALUES
// rows.
func (r *renderer) insertRows(x *sqlparser.Insert) int {
	switch rows := x.Rows.(type) {
	case sqlparser.Values:
		return r.insertValues(x.Columns, rows)
	case *sqlparser.Select:
		if len(x.Columns) > 0 {
			r.wb(' ')
			r.columnList(x.Columns)
		}
		if len(x.OnDup) > 0 && rows.Where == nil { // SQLite needs WHERE before an upsert
			rows.Where = &sqlparser.Where{Type: sqlparser.WhereClause, Expr: sqlparser.BoolVal(true)}
		}
		r.wb(' ')
		r.selectStatement(rows, selectOpts{})
	case *sqlparser.Union:
		if len(x.Columns) > 0 {
			r.wb(' ')
			r.columnList(x.Columns)
		}
		r.w(" SELECT * FROM (")
		r.selectStatement(rows, selectOpts{})
		r.w(") WHERE true")
	default:
		r.fail(errNotSupportedf("%s", describe(x.Rows)))
	}
	return 0
}

// insertValues writes VALUES rows. MySQL's DEFAULT in a row has no SQLite
// equivalent: a column that is DEFAULT in every row is left out instead.
func (r *renderer) insertValues(cols sqlparser.Columns, rows sqlparser.Values) int {
	keep, ok := r.defaultColumns(cols, rows)
	if !ok {
		return 0
	}
	var kept sqlparser.Columns
	for i, c := range cols {
		if keep[i] {
			kept = append(kept, c)
		}
	}
	if len(kept) == 0 && (len(rows) == 0 || len(rows[0]) == 0 || len(cols) > 0) {
		if len(rows) > 1 {
			r.fail(errNotSupported("several rows of only DEFAULT values"))
		}
		r.w(" DEFAULT VALUES")
		return 1
	}
	if len(kept) > 0 {
		r.wb(' ')
		r.columnList(kept)
	}
	r.w(" VALUES ")
	for i, row := range rows {
		if i > 0 {
			r.w(", ")
		}
		r.wb('(')
		n := 0
		for j, v := range row {
			if len(cols) > 0 && !keep[j] {
				continue
			}
			if n > 0 {
				r.w(", ")
			}
			n++
			r.expr(v)
		}
		r.wb(')')
	}
	return len(rows)
}

// defaultColumns checks the row shapes and finds the columns to keep: the
// ones that are not DEFAULT in every row.
func (r *renderer) defaultColumns(cols sqlparser.Columns, rows sqlparser.Values) ([]bool, bool) {
	width := len(cols)
	if width == 0 && len(rows) > 0 {
		width = len(rows[0])
	}
	defaults := make([]int, width)
	for i, row := range rows {
		if len(row) != width && !(len(cols) == 0 && len(row) == 0) {
			r.fail(errWrongValueCount(i + 1))
			return nil, false
		}
		for j, v := range row {
			if _, ok := v.(*sqlparser.Default); ok {
				defaults[j]++
			}
		}
	}
	keep := make([]bool, width)
	for j, n := range defaults {
		switch {
		case n == 0:
			keep[j] = true
		case n < len(rows) || len(cols) == 0:
			r.fail(errNotSupported("DEFAULT in some rows of a column but not others, or without a column list"))
			return nil, false
		}
	}
	return keep, true
}

// onDuplicate writes ON DUPLICATE KEY UPDATE as ON CONFLICT DO UPDATE:
// VALUES(c) and row-alias references become excluded.c.
func (r *renderer) onDuplicate(x *sqlparser.Insert) {
	if len(x.OnDup) == 0 {
		return
	}
	if x.RowAlias != nil {
		if len(x.RowAlias.Columns) > 0 {
			r.fail(errNotSupported("row alias column lists"))
			return
		}
		r.rowAlias = x.RowAlias.TableName.String()
	}
	r.onDup = true
	r.w(" ON CONFLICT DO UPDATE SET ")
	r.assignments(sqlparser.UpdateExprs(x.OnDup))
	r.onDup, r.rowAlias = false, ""
}

// assignments writes SET a = x, b = y. SQLite's SET takes bare column names.
func (r *renderer) assignments(ues sqlparser.UpdateExprs) {
	for i, ue := range ues {
		if i > 0 {
			r.w(", ")
		}
		r.ident(ue.Name.Name.String())
		r.w(" = ")
		if _, ok := ue.Expr.(*sqlparser.Default); ok {
			r.fail(errNotSupported("SET column = DEFAULT"))
			return
		}
		r.expr(ue.Expr)
	}
}
