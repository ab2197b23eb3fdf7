package sqlparse

// UnknownRows is the row count of an INSERT ... SELECT, whose rows are only
// known when it runs. It appears in InsertInfo.Rows and as IDFunc's argument.
const UnknownRows = -1

// Info describes one statement. Slices inside it may be shared with a Cache and
// must not be modified.
type Info struct {
	// Kind is what the statement does.
	Kind Kind

	// Verb names the statement in upper case: "SELECT", "VALUES", "INSERT",
	// "REPLACE", "UPDATE", "DELETE", "CREATE TABLE", "CREATE VIRTUAL TABLE",
	// "CREATE INDEX", "CREATE VIEW", "CREATE TRIGGER", "DROP TABLE", "DROP INDEX",
	// "DROP VIEW", "DROP TRIGGER", "ALTER TABLE", "BEGIN", "COMMIT" (also for
	// END), "ROLLBACK", "ROLLBACK TO", "SAVEPOINT", "RELEASE", "PRAGMA",
	// "EXPLAIN", "ATTACH", "DETACH", "VACUUM", "ANALYZE" or "REINDEX". A WITH
	// clause does not show: WITH ... INSERT is "INSERT".
	Verb string

	// Table is the table the statement writes (INSERT, REPLACE, UPDATE,
	// DELETE), or whose definition a DDL statement changes: the table of CREATE,
	// DROP and ALTER TABLE and CREATE VIRTUAL TABLE, the indexed table of CREATE
	// INDEX, the table of CREATE TRIGGER. It is "" otherwise, including for
	// EXPLAIN, views, DROP INDEX and DROP TRIGGER. Quotes are removed.
	Table string

	// Schema is the schema that qualifies Table or Object ("main", "temp", an
	// attached database), or "" when the statement names none.
	Schema string

	// Object is the name of the object a DDL statement creates, drops or alters
	// (table, index, view or trigger), the pragma of a PRAGMA, or the savepoint
	// of SAVEPOINT, RELEASE and ROLLBACK TO; "" otherwise.
	Object string

	// Temp reports a DDL statement on a temporary object: CREATE TEMP ... or a
	// name in the "temp" schema. Temporary objects are local to a connection.
	Temp bool

	// Explain reports an EXPLAIN or EXPLAIN QUERY PLAN statement. Such
	// statements never change the database, so their Kind is KindRead.
	Explain bool

	// Returning reports a write with a RETURNING clause, which yields rows.
	Returning bool

	// Parsed reports whether rqlite/sql parsed the statement. When false the
	// statement was classified from its leading keywords, and MintIDs
	// cannot rewrite it.
	Parsed bool

	// Insert describes an INSERT or REPLACE that was parsed; nil otherwise.
	Insert *InsertInfo
}

// InsertInfo describes the rows of an INSERT or REPLACE statement.
type InsertInfo struct {
	// Columns is the explicit column list as written (quotes removed), or nil
	// when the statement has none; then its values follow the table's columns
	// and MintIDs needs Target.Columns.
	Columns []string

	// Rows is the number of VALUES rows, 1 for DEFAULT VALUES, and UnknownRows
	// for INSERT ... SELECT.
	Rows int
}
