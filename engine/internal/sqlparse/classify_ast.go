package sqlparse

import (
	"strings"

	"github.com/rqlite/sql"
)

// infoFromAST classifies a statement parsed by rqlite/sql. It reports false
// for a statement type it does not know.
func infoFromAST(stmt sql.Statement) (Info, bool) {
	switch s := stmt.(type) {
	case *sql.ExplainStatement:
		return Info{Kind: KindRead, Verb: "EXPLAIN", Explain: true}, true
	case *sql.SelectStatement:
		if s.Select.IsValid() {
			return Info{Kind: KindRead, Verb: "SELECT"}, true
		}
		return Info{Kind: KindRead, Verb: "VALUES"}, true
	case *sql.InsertStatement, *sql.UpdateStatement, *sql.DeleteStatement:
		return writeInfo(stmt), true
	case *sql.BeginStatement, *sql.CommitStatement, *sql.RollbackStatement,
		*sql.SavepointStatement, *sql.ReleaseStatement:
		return txInfo(stmt), true
	case *sql.PragmaStatement:
		return Info{Kind: KindPragma, Verb: "PRAGMA", Schema: sql.IdentName(s.Schema), Object: pragmaName(s.Expr)}, true
	case *sql.AnalyzeStatement:
		return Info{Kind: KindOther, Verb: "ANALYZE"}, true
	case *sql.ReindexStatement:
		return Info{Kind: KindOther, Verb: "REINDEX"}, true
	default:
		return ddlInfo(stmt)
	}
}

// writeInfo classifies INSERT, REPLACE, UPDATE and DELETE.
func writeInfo(stmt sql.Statement) Info {
	info := Info{Kind: KindWrite}
	switch s := stmt.(type) {
	case *sql.InsertStatement:
		info.Verb, info.Table = "INSERT", sql.IdentName(s.Table)
		if s.Replace.IsValid() {
			info.Verb = "REPLACE"
		}
		info.Returning = s.ReturningClause != nil
	case *sql.UpdateStatement:
		info.Verb, info.Table, info.Schema = "UPDATE", qualifiedName(s.Table), qualifiedSchema(s.Table)
		info.Returning = s.ReturningClause != nil
	case *sql.DeleteStatement:
		info.Verb, info.Table, info.Schema = "DELETE", qualifiedName(s.Table), qualifiedSchema(s.Table)
		info.Returning = s.ReturningClause != nil
	}
	return info
}

// txInfo classifies transaction control statements.
func txInfo(stmt sql.Statement) Info {
	info := Info{Kind: KindTx}
	switch s := stmt.(type) {
	case *sql.BeginStatement:
		info.Verb = "BEGIN"
	case *sql.CommitStatement:
		info.Verb = "COMMIT"
	case *sql.RollbackStatement:
		info.Verb = "ROLLBACK"
		if s.SavepointName != nil {
			info.Verb, info.Object = "ROLLBACK TO", s.SavepointName.Name
		}
	case *sql.SavepointStatement:
		info.Verb, info.Object = "SAVEPOINT", sql.IdentName(s.Name)
	case *sql.ReleaseStatement:
		info.Verb, info.Object = "RELEASE", sql.IdentName(s.Name)
	}
	return info
}

// ddlInfo classifies CREATE, DROP and ALTER statements.
func ddlInfo(stmt sql.Statement) (Info, bool) {
	info := Info{Kind: KindDDL}
	switch s := stmt.(type) {
	case *sql.CreateTableStatement:
		info.Verb, info.Object, info.Schema = "CREATE TABLE", sql.IdentName(s.Name), sql.IdentName(s.Schema)
		info.Table = info.Object
	case *sql.CreateVirtualTableStatement:
		info.Verb, info.Object, info.Schema = "CREATE VIRTUAL TABLE", sql.IdentName(s.Name), sql.IdentName(s.Schema)
		info.Table = info.Object
	case *sql.CreateIndexStatement:
		info.Verb, info.Object, info.Table = "CREATE INDEX", sql.IdentName(s.Name), sql.IdentName(s.Table)
	case *sql.CreateViewStatement:
		info.Verb, info.Object = "CREATE VIEW", sql.IdentName(s.Name)
	case *sql.CreateTriggerStatement:
		info.Verb, info.Object, info.Table = "CREATE TRIGGER", sql.IdentName(s.Name), sql.IdentName(s.Table)
	case *sql.DropTableStatement:
		info.Verb, info.Object = "DROP TABLE", sql.IdentName(s.Name)
		info.Table = info.Object
	case *sql.DropIndexStatement:
		info.Verb, info.Object = "DROP INDEX", sql.IdentName(s.Name)
	case *sql.DropViewStatement:
		info.Verb, info.Object = "DROP VIEW", sql.IdentName(s.Name)
	case *sql.DropTriggerStatement:
		info.Verb, info.Object = "DROP TRIGGER", sql.IdentName(s.Name)
	case *sql.AlterTableStatement:
		info.Verb, info.Object = "ALTER TABLE", sql.IdentName(s.Name)
		info.Table = info.Object
	default:
		return Info{}, false
	}
	info.Temp = strings.EqualFold(info.Schema, "temp")
	return info, true
}

// qualifiedName returns the table name of q, or "" if q is nil.
func qualifiedName(q *sql.QualifiedTableName) string {
	if q == nil {
		return ""
	}
	return sql.IdentName(q.Name)
}

// qualifiedSchema returns the schema name of q, or "" if q is nil.
func qualifiedSchema(q *sql.QualifiedTableName) string {
	if q == nil {
		return ""
	}
	return sql.IdentName(q.Schema)
}

// pragmaName returns the name of a pragma, written as name, name(arg) or
// name = value.
func pragmaName(e sql.Expr) string {
	switch e := e.(type) {
	case *sql.Ident:
		return e.Name
	case *sql.Call:
		return sql.IdentName(e.Name)
	case *sql.BinaryExpr:
		return pragmaName(e.X)
	default:
		return ""
	}
}
