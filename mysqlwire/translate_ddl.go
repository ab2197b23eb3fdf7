package mysqlwire

import (
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"
)

// ddlStatement translates schema statements.
func (r *renderer) ddlStatement(st sqlparser.Statement) (Plan, bool) {
	switch x := st.(type) {
	case *sqlparser.CreateTable:
		return r.createTable(x), true
	case *sqlparser.AlterTable:
		return r.alterTable(x), true
	case *sqlparser.DropTable:
		return r.dropTable(x), true
	case *sqlparser.RenameTable:
		return r.renameTable(x), true
	case *sqlparser.TruncateTable:
		return r.plan(PlanWrite, r.capture(func() { r.w("DELETE FROM "); r.tableName(x.Table) })), true
	case *sqlparser.CreateView:
		return r.createView(x), true
	case *sqlparser.DropView:
		return r.dropView(x), true
	case *sqlparser.CreateDatabase, *sqlparser.DropDatabase, *sqlparser.AlterDatabase, *sqlparser.Use:
		return r.databaseStatement(x), true
	}
	return Plan{}, false
}

// ddlPlan finishes a plan of schema statements.
func (r *renderer) ddlPlan(stmts []string) Plan {
	db, err := r.planDatabase()
	if err != nil {
		r.fail(err)
		return Plan{}
	}
	if len(stmts) == 0 {
		return Plan{Kind: PlanNoop, Database: db}
	}
	for i, s := range stmts {
		var params int
		if stmts[i], params = finish(s, db); params > 0 || strings.IndexByte(s, holeMark) >= 0 {
			r.fail(errNotSupported("placeholders, variables and session functions in schema statements"))
		}
	}
	return Plan{Kind: PlanDDL, Database: db, Statements: stmts}
}

// indexName is the SQLite name of MySQL index name of table: SQLite index
// names are per database, MySQL's per table.
func indexName(table, name string) string { return table + "." + name }

func (r *renderer) dropTable(x *sqlparser.DropTable) Plan {
	if x.Temp {
		r.fail(errNotSupported("temporary tables"))
		return Plan{}
	}
	var stmts []string
	for _, t := range x.FromTables {
		stmts = append(stmts, r.capture(func() {
			r.w("DROP TABLE ")
			if x.IfExists {
				r.w("IF EXISTS ")
			}
			r.tableName(t)
		}))
	}
	return r.ddlPlan(stmts)
}

func (r *renderer) renameTable(x *sqlparser.RenameTable) Plan {
	var stmts []string
	for _, p := range x.TablePairs {
		if !strings.EqualFold(p.FromTable.Qualifier.String(), p.ToTable.Qualifier.String()) {
			r.fail(errNotSupported("moving a table to another database"))
			return Plan{}
		}
		stmts = append(stmts, r.capture(func() {
			r.w("ALTER TABLE ")
			r.tableName(p.FromTable)
			r.w(" RENAME TO ")
			r.ident(p.ToTable.Name.String())
		}))
	}
	return r.ddlPlan(stmts)
}

func (r *renderer) createView(x *sqlparser.CreateView) Plan {
	if x.CheckOption != "" {
		r.fail(errNotSupported("WITH CHECK OPTION"))
		return Plan{}
	}
	var stmts []string
	if x.IsReplace {
		stmts = append(stmts, r.capture(func() { r.w("DROP VIEW IF EXISTS "); r.tableName(x.ViewName) }))
	}
	stmts = append(stmts, r.capture(func() {
		r.w("CREATE VIEW ")
		r.tableName(x.ViewName)
		if len(x.Columns) > 0 {
			r.wb(' ')
			r.columnList(x.Columns)
		}
		r.w(" AS ")
		r.selectStatement(x.Select, selectOpts{})
	}))
	return r.ddlPlan(stmts)
}

func (r *renderer) dropView(x *sqlparser.DropView) Plan {
	var stmts []string
	for _, t := range x.FromTables {
		stmts = append(stmts, r.capture(func() {
			r.w("DROP VIEW ")
			if x.IfExists {
				r.w("IF EXISTS ")
			}
			r.tableName(t)
		}))
	}
	return r.ddlPlan(stmts)
}

// tableOptions checks CREATE/ALTER TABLE options; it reports whether the
// table's default collation is binary. Storage options mean nothing to
// SQLite and are dropped; AUTO_INCREMENT=n too (ids come from node slots).
func (r *renderer) tableOptions(opts sqlparser.TableOptions) (binary bool) {
	for _, o := range opts {
		switch strings.ToUpper(o.Name) {
		case "CHARSET", "CHARACTER SET", "DEFAULT CHARSET", "DEFAULT CHARACTER SET":
			cs := strings.ToLower(o.String)
			if cs == "binary" {
				binary = true
			} else if !charsets[cs] {
				r.fail(errNotSupportedf("character set %s: Warren stores UTF-8", o.String))
			}
		case "COLLATE", "DEFAULT COLLATE":
			c := strings.ToLower(o.String)
			binary = c == "binary" || strings.HasSuffix(c, "_bin") || strings.HasSuffix(c, "_cs")
		case "UNION", "INSERT_METHOD":
			r.fail(errNotSupportedf("table option %s", o.Name))
		}
	}
	return binary
}
