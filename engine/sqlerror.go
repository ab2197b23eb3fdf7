package engine

import (
	"errors"

	"github.com/warren-db/warren/engine/internal/sqlite3"
)

// sqlError maps an error from SQLite into the error vocabulary. SQLite's
// messages describe the client's own statement, so they are safe to show.
func sqlError(err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	if errors.Is(err, sqlite3.ErrMultiple) {
		return &Error{Code: CodeInvalid, Message: "one statement expected: use the statements list for several", Err: err}
	}
	var se *sqlite3.Error
	if !errors.As(err, &se) {
		return &Error{Code: CodeInternal, Err: err}
	}
	code := CodeSQL
	switch se.Code {
	case sqlite3.ErrGeneric:
		if se.IsSyntax() {
			code = CodeSyntax
		}
	case sqlite3.Constraint:
		code = CodeConstraint
	case sqlite3.Busy, sqlite3.Locked:
		code = CodeBusy
	case sqlite3.Interrupt:
		return &Error{Code: CodeTimeout, Message: "statement interrupted: it ran past its time limit or the request was cancelled", Err: err}
	case sqlite3.TooBig:
		code = CodeTooLarge
	case sqlite3.ReadOnly:
		code = CodeReadOnly
	case sqlite3.Mismatch, sqlite3.Range:
		code = CodeInvalid
	case sqlite3.Full:
		return &Error{Code: CodeUnavailable, Message: "the database or disk is full", Err: err}
	case 7, 10, 11, 14, 26: // NOMEM, IOERR, CORRUPT, CANTOPEN, NOTADB
		return &Error{Code: CodeInternal, Err: err}
	}
	return &Error{Code: code, Message: se.Msg, Err: err}
}
