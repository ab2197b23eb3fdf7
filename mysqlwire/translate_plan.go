package mysqlwire

import "github.com/warren-db/warren/engine"

// PlanKind says what the server must do with a Plan.
type PlanKind uint8

// The kinds of Plan.
const (
	// PlanRead runs Plan.SQL as a query (engine Query, or Tx.Query inside a
	// transaction) and sends its rows. SHOW, DESCRIBE, information_schema
	// and SELECT @@var all become reads.
	PlanRead PlanKind = iota + 1
	// PlanWrite runs Plan.SQL as one write and answers OK with the affected
	// rows and the last insert id.
	PlanWrite
	// PlanDDL runs Plan.Statements together as one atomic write and answers
	// OK. MySQL commits an open transaction before DDL (see ImplicitCommit).
	PlanDDL
	// PlanBegin starts a transaction (Plan.ReadOnly for START TRANSACTION READ ONLY).
	PlanBegin
	// PlanCommit commits the open transaction, if any.
	PlanCommit
	// PlanRollback rolls the open transaction back, if any.
	PlanRollback
	// PlanSet applies Plan.Settings to the session, in order.
	PlanSet
	// PlanUse makes Plan.Database the session's current database.
	PlanUse
	// PlanCreateDatabase creates Plan.Database (Plan.IfNotExists: no error
	// when it exists).
	PlanCreateDatabase
	// PlanDropDatabase drops Plan.Database (Plan.IfExists: no error when it
	// does not exist).
	PlanDropDatabase
	// PlanNoop needs no work: answer OK (LOCK TABLES, UNLOCK TABLES, FLUSH).
	PlanNoop
	// PlanKill stops connection Plan.KillID, or only its running statement
	// when Plan.KillQuery is set.
	PlanKill
)

var planKindNames = [...]string{"", "read", "write", "ddl", "begin", "commit", "rollback", "set", "use",
	"create database", "drop database", "noop", "kill"}

// String names the kind.
func (k PlanKind) String() string {
	if int(k) < len(planKindNames) {
		return planKindNames[k]
	}
	return "unknown"
}

// ImplicitCommit reports whether MySQL commits an open transaction before a
// statement of this kind (DDL, CREATE/DROP DATABASE, BEGIN).
func (k PlanKind) ImplicitCommit() bool {
	return k == PlanDDL || k == PlanCreateDatabase || k == PlanDropDatabase || k == PlanBegin
}

// Plan is what the server must do for one MySQL statement. Plans are shared
// through the translation cache: treat them as read-only.
type Plan struct {
	Kind PlanKind

	// Database is the database the SQL runs in: the session's current
	// database, or the one every table of the statement names (db.t). It is
	// "" when the statement touches no table (SELECT 1, SELECT @@version,
	// SHOW DATABASES, SET ...) and no database is selected; run such SQL in
	// any database. For PlanUse, PlanCreateDatabase and PlanDropDatabase it
	// names the database concerned.
	Database string

	// SQL is the SQLite statement of a PlanRead or PlanWrite. Its parameters
	// are the client's placeholders: ? when the translation keeps them in
	// order; :p1, :p2... when it repeats some but first uses them in order;
	// ?NNN otherwise (never for INSERT). In every case SQLite's parameter k
	// is the client's k-th value: bind them positionally.
	SQL string

	// Statements are the SQLite statements of a PlanDDL, to run in order in
	// one atomic Exec. They take no parameters.
	Statements []string

	// Params is the number of ? placeholders in the MySQL statement: the
	// parameter count COM_STMT_PREPARE reports.
	Params int

	// FoundRowsSQL is set for SELECT SQL_CALC_FOUND_ROWS: a SQLite query
	// returning one row with one integer, the number of rows the SELECT would
	// return without LIMIT. Run it after SQL with the first FoundRowsParams
	// client values and remember the count for FOUND_ROWS(). After any other
	// PlanRead, FOUND_ROWS() is the number of rows sent.
	FoundRowsSQL    string
	FoundRowsParams int

	// ColumnTypes, when set, has one entry per result column of a PlanRead:
	// the MySQL type of an expression SQLite declares no type for (NOW() is
	// "datetime"), a hint that depends on the values ("?sum", "?temporal"),
	// or "" to type the column by its values. Apply it with typeColumns.
	ColumnTypes []string

	// InsertRows is the number of rows listed by an INSERT or REPLACE ...
	// VALUES (0 for INSERT ... SELECT and other writes). MySQL reports the id
	// of the first inserted row as the insert id, SQLite the last one.
	InsertRows int

	// ReadOnly marks START TRANSACTION READ ONLY.
	ReadOnly bool

	// IfExists and IfNotExists qualify PlanDropDatabase and PlanCreateDatabase.
	IfExists, IfNotExists bool

	// Settings are the assignments of a PlanSet.
	Settings []Setting

	// KillID and KillQuery describe a PlanKill.
	KillID    uint64
	KillQuery bool
}

// SettingKind says what a Setting assigns.
type SettingKind uint8

// The kinds of Setting.
const (
	// SettingSystem assigns a system variable (SET [SESSION|GLOBAL] x = v,
	// SET @@x = v, SET TRANSACTION ..., SET warren_consistency = 'ONE').
	SettingSystem SettingKind = iota + 1
	// SettingUser assigns a user variable (SET @x = v).
	SettingUser
	// SettingNames is SET NAMES cs: character_set_client,
	// character_set_connection and character_set_results become Value.
	SettingNames
	// SettingCharset is SET CHARACTER SET cs: character_set_client and
	// character_set_results become Value, character_set_connection becomes
	// the value of character_set_database.
	SettingCharset
)

// Setting is one assignment of a SET statement.
type Setting struct {
	Kind SettingKind
	// Name is the variable name in lower case, without @ or @@.
	Name string
	// Global marks SET GLOBAL / @@global.x; NextTransaction marks SET
	// TRANSACTION ... without SESSION or GLOBAL (it applies to the next
	// transaction only).
	Global, NextTransaction bool
	// Default marks SET x = DEFAULT: reset to the server default.
	Default bool
	// Value is the new value when it is a constant (SQL is "").
	Value engine.Value
	// SQL, when set, is a SQLite query returning one row with one value: the
	// new value, for an expression that must be evaluated (SET @n = @n + 1).
	// Check a system variable's evaluated value with CheckSetting.
	SQL    string
	Params int // the client parameters SQL binds (the first Params values)
}
