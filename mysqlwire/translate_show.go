package mysqlwire

import (
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"
)

// showPlan translates SHOW into a read over SQLite's catalog, with the
// columns MySQL clients expect.
func (r *renderer) showPlan(x *sqlparser.Show) Plan {
	switch s := x.Internal.(type) {
	case *sqlparser.ShowBasic:
		return r.showBasic(s)
	case *sqlparser.ShowCreate:
		return r.showCreate(s)
	}
	r.fail(errNotSupportedf("%s", describe(x)))
	return Plan{}
}

func (r *renderer) showBasic(s *sqlparser.ShowBasic) Plan {
	if s.Limit != nil {
		r.fail(errNotSupported("SHOW ... LIMIT"))
		return Plan{}
	}
	if db := s.DbName.String(); db != "" {
		r.dbs[db] = true
		if !s.Tbl.Name.IsEmpty() && s.Tbl.Qualifier.IsEmpty() {
			s.Tbl.Qualifier = s.DbName // SHOW COLUMNS FROM t FROM db
		}
	}
	switch s.Command {
	case sqlparser.Database:
		return r.show("*", `SELECT "name" AS "Database" FROM `+hole(holeDatabases, "")+` AS d`, "Database", s.Filter, `"Database"`)
	case sqlparser.Table:
		return r.showTables(s)
	case sqlparser.Column:
		return r.showColumns(s.Tbl, s.Full, s.Filter)
	case sqlparser.Index:
		return r.showIndex(s.Tbl, s.Filter)
	case sqlparser.TableStatus:
		r.unqualifiedUnlessNamed(s.DbName)
		return r.show("*", tableStatusSQL, "Name", s.Filter, `"Name"`)
	case sqlparser.VariableSession, sqlparser.VariableGlobal:
		kind := byte(holeVariables)
		if s.Command == sqlparser.VariableGlobal {
			kind = holeGlobalVars
		}
		return r.show("*", `SELECT "name" AS "Variable_name", "value" AS "Value" FROM `+hole(kind, "")+` AS v`, "Variable_name", s.Filter, `"Variable_name"`)
	}
	return r.showConstant(s)
}

// showConstant answers the SHOW statements whose answer Warren knows
// without looking at a database.
func (r *renderer) showConstant(s *sqlparser.ShowBasic) Plan {
	text, ok := constantShows[s.Command]
	if !ok {
		r.fail(errNotSupportedf("%s", describe(&sqlparser.Show{Internal: s})))
		return Plan{}
	}
	first := text[strings.Index(text, `AS "`)+4:]
	first = first[:strings.IndexByte(first, '"')]
	return r.show("*", text, first, s.Filter, "1")
}

// unqualifiedUnlessNamed records that a SHOW reads the current database.
func (r *renderer) unqualifiedUnlessNamed(db sqlparser.IdentifierCS) {
	if db.IsEmpty() {
		r.unqualified = true
	}
}

// show finishes a SHOW read: base lists the rows, visible picks the
// columns sent, LIKE filters likeColumn, WHERE any column; order sorts.
func (r *renderer) show(visible, base, likeColumn string, f *sqlparser.ShowFilter, order string) Plan {
	text := r.capture(func() {
		r.w("SELECT " + visible + " FROM (")
		r.w(base)
		r.w(")")
		r.showFilter(likeColumn, f)
		r.w(" ORDER BY " + order)
	})
	if strings.IndexByte(base, holeMark) >= 0 {
		r.hole = true
	}
	return r.plan(PlanRead, text)
}

// showFilter writes the WHERE of SHOW ... LIKE 'pattern' or SHOW ... WHERE.
func (r *renderer) showFilter(likeColumn string, f *sqlparser.ShowFilter) {
	switch {
	case f == nil:
	case f.Filter != nil:
		r.w(" WHERE ")
		r.expr(f.Filter)
	default:
		r.w(" WHERE " + quoteIdent(likeColumn) + " LIKE ")
		writeString(r.b, f.Like)
		r.w(` ESCAPE '\'`)
	}
}

// showTables answers SHOW [FULL] TABLES: the column is Tables_in_<db>.
func (r *renderer) showTables(s *sqlparser.ShowBasic) Plan {
	db := s.DbName.String()
	if db == "" {
		if r.db == "" {
			r.fail(errNoDatabase())
			return Plan{}
		}
		db = r.db
	}
	col := "Tables_in_" + r.checkName(db)
	base := "SELECT m.name AS " + quoteIdent(col)
	if s.Full {
		base += `, CASE m.type WHEN 'view' THEN 'VIEW' ELSE 'BASE TABLE' END AS "Table_type"`
	}
	base += " FROM sqlite_schema AS m WHERE m.type IN ('table', 'view') AND " + userTables
	r.unqualifiedUnlessNamed(s.DbName)
	return r.show("*", base, col, s.Filter, quoteIdent(col))
}

// showTable returns the table a SHOW names (FROM t [FROM db] or db.t) and
// records its database.
func (r *renderer) showTable(t sqlparser.TableName) string {
	r.noteDatabase(t)
	return r.checkName(t.Name.String())
}

// showColumns answers SHOW [FULL] COLUMNS and DESCRIBE.
func (r *renderer) showColumns(t sqlparser.TableName, full bool, f *sqlparser.ShowFilter) Plan {
	name := r.showTable(t)
	visible := `"Field", "Type", "Null", "Key", "Default", "Extra"`
	if full {
		visible = `"Field", "Type", "Collation", "Null", "Key", "Default", "Extra", "Privileges", "Comment"`
	}
	base := `SELECT field AS "Field", mtype AS "Type", coll AS "Collation", nullable AS "Null", ckey AS "Key", ` +
		`dflt AS "Default", extra AS "Extra", 'select,insert,update,references' AS "Privileges", '' AS "Comment", pos ` +
		"FROM (" + columnRowsSQL(tableIs(name)) + ") WHERE " + mustExist(name)
	return r.show(visible, base, "Field", f, "pos")
}

// describePlan answers DESCRIBE t [column].
func (r *renderer) describePlan(x *sqlparser.ExplainTab) Plan {
	var f *sqlparser.ShowFilter
	if x.Wild != "" {
		f = &sqlparser.ShowFilter{Like: x.Wild}
	}
	return r.showColumns(x.Table, false, f)
}

// showIndex answers SHOW INDEX FROM t.
func (r *renderer) showIndex(t sqlparser.TableName, f *sqlparser.ShowFilter) Plan {
	name := r.showTable(t)
	return r.show(showIndexColumns, showIndexSQL(tableIs(name))+" WHERE "+mustExist(name), "Key_name", f, `k1, k2, "Seq_in_index"`)
}

const showIndexColumns = `"Table", "Non_unique", "Key_name", "Seq_in_index", "Column_name", "Collation", ` +
	`"Cardinality", "Sub_part", "Packed", "Null", "Index_type", "Comment", "Index_comment", "Visible", "Expression"`

// showIndexSQL lists SHOW INDEX rows (and k1, k2 to order them).
func showIndexSQL(filter string) string {
	return `SELECT tbl AS "Table", non_unique AS "Non_unique", key_name AS "Key_name", seq AS "Seq_in_index", ` +
		`col AS "Column_name", coll AS "Collation", NULL AS "Cardinality", sub_part AS "Sub_part", NULL AS "Packed", ` +
		`nullable AS "Null", 'BTREE' AS "Index_type", '' AS "Comment", '' AS "Index_comment", 'YES' AS "Visible", ` +
		`NULL AS "Expression", k1, k2 FROM (` + indexRowsSQL(filter) + ")"
}

// explainPlan answers EXPLAIN with SQLite's query plan (its own columns).
func (r *renderer) explainPlan(x *sqlparser.ExplainStmt) Plan {
	if x.Type != sqlparser.EmptyType && x.Type != sqlparser.TraditionalType {
		r.fail(errNotSupported("EXPLAIN FORMAT and EXPLAIN ANALYZE"))
		return Plan{}
	}
	inner := r.statement(x.Statement)
	if r.err != nil {
		return Plan{}
	}
	if inner.Kind != PlanRead && inner.Kind != PlanWrite {
		r.fail(errNotSupportedf("EXPLAIN of %s", inner.Kind))
		return Plan{}
	}
	inner.Kind, inner.SQL = PlanRead, "EXPLAIN QUERY PLAN "+inner.SQL
	inner.FoundRowsSQL, inner.FoundRowsParams, inner.InsertRows = "", 0, 0
	return inner
}
