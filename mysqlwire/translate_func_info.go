package mysqlwire

import "vitess.io/vitess/go/vt/sqlparser"

// Functions about the session and server. Their values change between
// executions of the same statement, so they are holes filled from
// SessionInfo after the cache (the current database is part of the cache
// key and is written directly).
func init() {
	register(sessionHole(holeLastInsertID), "last_insert_id")
	register(sessionHole(holeFoundRows), "found_rows")
	register(sessionHole(holeRowCount), "row_count")
	register(sessionHole(holeConnectionID), "connection_id")
	register(sessionHole(holeUser), "user", "current_user", "session_user", "system_user")
	register(func(r *renderer, name string, args []sqlparser.Expr) {
		if !r.arity(name, args, 0, 0) {
			return
		}
		if r.db == "" {
			r.w("NULL")
			return
		}
		writeString(r.b, r.db)
	}, "database", "schema")
	register(func(r *renderer, name string, args []sqlparser.Expr) {
		if r.arity(name, args, 0, 0) {
			writeString(r.b, r.t.version)
		}
	}, "version")
}

// sessionHole returns a function of no arguments answered from the session.
func sessionHole(kind byte) funcImpl {
	return func(r *renderer, name string, args []sqlparser.Expr) {
		if len(args) > 0 && kind == holeLastInsertID {
			r.fail(errNotSupported("LAST_INSERT_ID(expr)"))
			return
		}
		if r.arity(name, args, 0, 0) {
			r.holeText(kind, "")
		}
	}
}
