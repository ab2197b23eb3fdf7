package mysqlwire

import (
	"errors"
	"fmt"
	"strings"

	"github.com/go-mysql-org/go-mysql/mysql"
	"github.com/warren-db/warren/engine"
)

// mysqlError is the one place where an error becomes a MySQL error number,
// SQLSTATE and message. Translator and server errors (*Error) pass as they
// are; engine errors map by their Code, and SQLite's message tells apart
// the cases MySQL numbers separately. Errors outside the vocabulary are
// logged and answered as "internal error".
func (s *session) mysqlError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	msg := engine.ErrorMessage(err)
	switch engine.ErrorCode(err) {
	case engine.CodeSyntax:
		return &Error{Code: mysql.ER_PARSE_ERROR, SQLState: "42000", Message: "You have an error in your SQL syntax; " + msg}
	case engine.CodeSQL:
		return sqlStatementError(msg, s.db)
	case engine.CodeConstraint:
		return constraintError(msg)
	case engine.CodeNotFound:
		if _, name, ok := strings.Cut(msg, `"`); ok {
			name, _, _ = strings.Cut(name, `"`)
			return errUnknownDatabase(name)
		}
		return &Error{Code: mysql.ER_BAD_DB_ERROR, SQLState: "42000", Message: msg}
	case engine.CodeExists:
		return &Error{Code: mysql.ER_DB_CREATE_EXISTS, SQLState: "HY000", Message: "Can't create database; " + msg}
	case engine.CodeInvalid:
		if strings.Contains(msg, "datatype mismatch") {
			return &Error{Code: 1366, SQLState: "HY000", Message: "Incorrect value: " + msg}
		}
		return &Error{Code: mysql.ER_NOT_SUPPORTED_YET, SQLState: "42000", Message: msg}
	case engine.CodeReadOnly:
		return &Error{Code: mysql.ER_OPTION_PREVENTS_STATEMENT, SQLState: "HY000", Message: msg}
	case engine.CodeTooLarge:
		if errors.Is(err, engine.ErrTransactionTooLarge) { // MySQL's error for a transaction over max_binlog_cache_size
			return &Error{Code: mysql.ER_TRANS_CACHE_FULL, SQLState: "HY000", Message: msg}
		}
		return &Error{Code: mysql.ER_TOO_BIG_SELECT, SQLState: "42000", Message: msg}
	case engine.CodeTimeout:
		return &Error{Code: mysql.ER_LOCK_WAIT_TIMEOUT, SQLState: "HY000", Message: "Lock wait timeout exceeded; try restarting transaction: " + msg}
	case engine.CodeBusy, engine.CodeUnavailable, engine.CodeTxNotFound:
		return &Error{Code: mysql.ER_LOCK_DEADLOCK, SQLState: "40001", Message: "Deadlock found when trying to get lock; try restarting transaction: " + msg}
	case engine.CodeUnauthorized:
		return &Error{Code: mysql.ER_ACCESS_DENIED_ERROR, SQLState: "28000", Message: msg}
	case engine.CodeForbidden:
		return &Error{Code: mysql.ER_SPECIFIC_ACCESS_DENIED_ERROR, SQLState: "42000", Message: msg}
	}
	s.log.Error("internal error", "err", err)
	return errInternal
}

// sqlStatementError maps SQLite's complaints about a statement that parsed.
func sqlStatementError(msg, db string) *Error {
	rest := func(prefix string) (string, bool) {
		if strings.HasPrefix(msg, prefix) {
			return strings.TrimSpace(msg[len(prefix):]), true
		}
		return "", false
	}
	if t, ok := rest("no such table:"); ok {
		if !strings.Contains(t, ".") && db != "" {
			t = db + "." + t
		}
		return &Error{Code: mysql.ER_NO_SUCH_TABLE, SQLState: "42S02", Message: fmt.Sprintf("Table '%s' doesn't exist", t)}
	}
	if c, ok := rest("no such column:"); ok {
		return &Error{Code: mysql.ER_BAD_FIELD_ERROR, SQLState: "42S22", Message: fmt.Sprintf("Unknown column '%s' in 'field list'", c)}
	}
	if c, ok := rest("ambiguous column name:"); ok {
		return &Error{Code: mysql.ER_NON_UNIQ_ERROR, SQLState: "23000", Message: fmt.Sprintf("Column '%s' in field list is ambiguous", c)}
	}
	if c, ok := rest("duplicate column name:"); ok {
		return &Error{Code: mysql.ER_DUP_FIELDNAME, SQLState: "42S21", Message: fmt.Sprintf("Duplicate column name '%s'", c)}
	}
	if strings.HasPrefix(msg, "table ") && strings.HasSuffix(msg, " already exists") {
		t := strings.Trim(strings.TrimSuffix(strings.TrimPrefix(msg, "table "), " already exists"), "\"`")
		return &Error{Code: mysql.ER_TABLE_EXISTS_ERROR, SQLState: "42S01", Message: fmt.Sprintf("Table '%s' already exists", t)}
	}
	if strings.HasPrefix(msg, "index ") && strings.HasSuffix(msg, " already exists") {
		k := strings.Trim(strings.TrimSuffix(strings.TrimPrefix(msg, "index "), " already exists"), "\"`")
		return &Error{Code: mysql.ER_DUP_KEYNAME, SQLState: "42000", Message: fmt.Sprintf("Duplicate key name '%s'", k)}
	}
	return &Error{Code: mysql.ER_UNKNOWN_ERROR, SQLState: "HY000", Message: msg}
}

// constraintError maps SQLite's constraint failures.
func constraintError(msg string) *Error {
	detail := func(prefix string) string { return strings.TrimSpace(strings.TrimPrefix(msg, prefix)) }
	switch {
	case strings.HasPrefix(msg, "UNIQUE constraint failed:"), strings.HasPrefix(msg, "PRIMARY KEY constraint failed:"):
		key := detail(msg[:strings.IndexByte(msg, ':')+1])
		return &Error{Code: mysql.ER_DUP_ENTRY, SQLState: "23000", Message: fmt.Sprintf("Duplicate entry for key '%s'", key)}
	case strings.HasPrefix(msg, "NOT NULL constraint failed:"):
		col := detail("NOT NULL constraint failed:")
		if i := strings.LastIndexByte(col, '.'); i >= 0 {
			col = col[i+1:]
		}
		return &Error{Code: mysql.ER_BAD_NULL_ERROR, SQLState: "23000", Message: fmt.Sprintf("Column '%s' cannot be null", col)}
	case strings.HasPrefix(msg, "FOREIGN KEY constraint failed"):
		return &Error{Code: mysql.ER_NO_REFERENCED_ROW_2, SQLState: "23000",
			Message: "Cannot add or update a child row: a foreign key constraint fails"}
	case strings.HasPrefix(msg, "CHECK constraint failed:"):
		return &Error{Code: 3819, SQLState: "HY000", Message: fmt.Sprintf("Check constraint '%s' is violated.", detail("CHECK constraint failed:"))}
	}
	return &Error{Code: mysql.ER_DUP_ENTRY, SQLState: "23000", Message: msg}
}

// denied is the error for a statement the account may not run on db.
func (s *session) denied(db string, need privilege) *Error {
	a := s.account()
	if a == nil {
		return accessDenied(s.user, hostOf(s.remote), true)
	}
	if need == privNone || a.privileges(db) == privNone {
		return errDBAccessDenied(a, db)
	}
	missing := need &^ a.privileges(db)
	return &Error{Code: mysql.ER_TABLEACCESS_DENIED_ERROR, SQLState: "42000",
		Message: fmt.Sprintf("%s command denied to user '%s'@'%s' on database '%s'",
			strings.Join(missing.names(), ","), a.Name, a.Host, db)}
}

// errDBAccessDenied is MySQL's error 1044.
func errDBAccessDenied(a *account, db string) *Error {
	return &Error{Code: mysql.ER_DBACCESS_DENIED_ERROR, SQLState: "42000",
		Message: fmt.Sprintf("Access denied for user '%s'@'%s' to database '%s'", a.Name, a.Host, db)}
}

// errUnknownDatabase is MySQL's error 1049.
func errUnknownDatabase(db string) *Error {
	return &Error{Code: mysql.ER_BAD_DB_ERROR, SQLState: "42000", Message: fmt.Sprintf("Unknown database '%s'", db)}
}
