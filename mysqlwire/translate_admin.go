package mysqlwire

import (
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/warren-db/warren/engine"
)

// databaseStatement translates CREATE/DROP/ALTER DATABASE and USE.
func (r *renderer) databaseStatement(st sqlparser.Statement) Plan {
	switch x := st.(type) {
	case *sqlparser.CreateDatabase:
		if !r.databaseOptions(x.CreateOptions) {
			return Plan{}
		}
		return r.databasePlan(PlanCreateDatabase, x.DBName.String(), Plan{IfNotExists: x.IfNotExists})
	case *sqlparser.DropDatabase:
		return r.databasePlan(PlanDropDatabase, x.DBName.String(), Plan{IfExists: x.IfExists})
	case *sqlparser.AlterDatabase:
		if !r.databaseOptions(x.AlterOptions) {
			return Plan{}
		}
		return Plan{Kind: PlanNoop, Database: x.DBName.String()}
	case *sqlparser.Use:
		return r.databasePlan(PlanUse, x.DBName.String(), Plan{})
	}
	return Plan{}
}

// databasePlan checks a database name and fills in p.
func (r *renderer) databasePlan(kind PlanKind, name string, p Plan) Plan {
	if err := engine.ValidName(name); err != nil {
		r.fail(errWrongDBName(name))
		return Plan{}
	}
	p.Kind, p.Database = kind, name
	return p
}

// databaseOptions accepts the UTF-8 character sets and their collations.
func (r *renderer) databaseOptions(opts []sqlparser.DatabaseOption) bool {
	for _, o := range opts {
		cs, _, _ := strings.Cut(strings.ToLower(o.Value), "_")
		if !charsets[cs] && cs != "" {
			r.fail(errNotSupportedf("character set %s: Warren stores UTF-8", o.Value))
			return false
		}
	}
	return true
}

// adminStatement translates the administrative statements: locks and
// flushes need nothing, maintenance answers like MySQL, the rest is refused.
func (r *renderer) adminStatement(st sqlparser.Statement) (Plan, bool) {
	switch x := st.(type) {
	case *sqlparser.LockTables, *sqlparser.UnlockTables, *sqlparser.Flush:
		return Plan{Kind: PlanNoop}, true
	case *sqlparser.Kill:
		return Plan{Kind: PlanKill, KillID: x.ProcesslistID, KillQuery: x.Type == sqlparser.QueryType}, true
	case *sqlparser.Analyze:
		return r.maintenance("analyze", []sqlparser.TableName{x.Table}), true
	case *sqlparser.OtherAdmin:
		return r.otherAdmin(), true
	}
	return Plan{}, false
}

// maintenance answers ANALYZE/OPTIMIZE/REPAIR TABLE with MySQL's result
// set: SQLite keeps its files in shape on its own.
func (r *renderer) maintenance(op string, tables []sqlparser.TableName) Plan {
	text := r.capture(func() {
		for i, t := range tables {
			if i > 0 {
				r.w(" UNION ALL ")
			}
			r.noteDatabase(t)
			db := t.Qualifier.String()
			r.w("SELECT ")
			if db == "" {
				r.wb(dbMark)
				r.w(" || '.' || ")
			} else {
				writeString(r.b, db+".")
				r.w(" || ")
			}
			writeString(r.b, t.Name.String())
			r.w(` AS "Table", '` + op + `' AS "Op", 'status' AS "Msg_type", 'OK' AS "Msg_text"`)
		}
	})
	return r.plan(PlanRead, text)
}

// otherAdmin handles the statements the parser does not take apart
// (OPTIMIZE, REPAIR, DO, ...): the words are read with its tokenizer.
func (r *renderer) otherAdmin() Plan {
	words, tables := r.adminTokens()
	if len(words) > 0 && (words[0] == "optimize" || words[0] == "repair") && len(tables) > 0 {
		return r.maintenance(words[0], tables)
	}
	what := "this statement"
	if len(words) > 0 {
		what = strings.ToUpper(words[0])
	}
	r.fail(errNotSupported(what))
	return Plan{}
}

// adminTokens reads the words of the statement and the table names after
// TABLE or TABLES (db.t, comma-separated).
func (r *renderer) adminTokens() (words []string, tables []sqlparser.TableName) {
	tok := r.t.parser.NewStringTokenizer(r.src)
	inTables, qualified := false, false
	for {
		typ, val := tok.Scan()
		if typ == 0 || typ == sqlparser.LEX_ERROR || typ == ';' {
			return words, tables
		}
		switch {
		case typ == '.':
			qualified = true
		case typ == ',':
		case val == "":
			inTables = false
		case inTables && qualified && len(tables) > 0:
			last := &tables[len(tables)-1]
			last.Qualifier, last.Name = sqlparser.NewIdentifierCS(last.Name.String()), sqlparser.NewIdentifierCS(val)
			qualified = false
		case inTables:
			tables = append(tables, sqlparser.TableName{Name: sqlparser.NewIdentifierCS(val)})
		default:
			w := strings.ToLower(val)
			words = append(words, w)
			inTables = w == "table" || w == "tables"
		}
	}
}
