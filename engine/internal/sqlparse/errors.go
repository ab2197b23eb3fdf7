package sqlparse

import "errors"

// Errors returned by this package, for errors.Is.
var (
	// ErrEmpty means the text holds no statement, only whitespace, comments or
	// semicolons.
	ErrEmpty = errors.New("empty statement")

	// ErrMultiple means a single statement was expected but the text holds more;
	// split it with Split first.
	ErrMultiple = errors.New("more than one statement")

	// ErrSyntax means the text is not SQL that SQLite could accept: an
	// unterminated string or identifier, or an unknown leading keyword.
	ErrSyntax = errors.New("syntax error")

	// ErrNotInsert means MintIDs or RewriteInsert was given a statement other
	// than INSERT or REPLACE.
	ErrNotInsert = errors.New("not an INSERT statement")

	// ErrNotSupported means an INSERT cannot be rewritten to carry explicit ids,
	// usually because rqlite/sql cannot parse it. Its text is the phrase the
	// engine shows users.
	ErrNotSupported = errors.New("statement not supported for automatic ids")
)
