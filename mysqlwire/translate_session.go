package mysqlwire

import "github.com/warren-db/warren/engine"

// SessionInfo is what a translation needs to know about the connection. The
// server builds it from its session for every statement; Translate only
// reads it.
type SessionInfo struct {
	// Database is the current database (USE db), "" when none is selected.
	Database string
	// User is the account as CURRENT_USER() shows it: "name@host".
	User string
	// ConnectionID is what CONNECTION_ID() returns.
	ConnectionID uint64
	// LastInsertID is what LAST_INSERT_ID() returns: the first id generated
	// by the session's last INSERT that generated one.
	LastInsertID uint64
	// FoundRows is what FOUND_ROWS() returns (see Plan.FoundRowsSQL).
	FoundRows int64
	// RowCount is what ROW_COUNT() returns: the affected rows of the last
	// write, -1 after a read, 0 after DDL.
	RowCount int64
	// ClientFoundRows is set when the client sent CLIENT_FOUND_ROWS: UPDATE
	// then reports the rows it matched, not only the rows it changed.
	ClientFoundRows bool
	// Vars are the session values of system variables assigned with SET, by
	// lower-case name without @@. Variables not in Vars have their server
	// default (TranslatorConfig.Variables, then the built-in defaults).
	Vars map[string]engine.Value
	// UserVars are the user variables (@name) by lower-case name.
	UserVars map[string]engine.Value
	// Databases lists the databases for SHOW DATABASES and
	// information_schema.SCHEMATA. It is called only for those statements;
	// when nil, only Database is listed.
	Databases func() []string
}

// cacheKey is what a cached translation depends on: the statement text and
// the parts of the session that change the SQLite text. Everything else in
// SessionInfo is filled in after the cache.
type cacheKey struct {
	sql             string
	db              string
	clientFoundRows bool
}

func keyOf(sql string, s *SessionInfo) cacheKey {
	return cacheKey{sql: sql, db: s.Database, clientFoundRows: s.ClientFoundRows}
}
