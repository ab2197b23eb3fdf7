package engine

import (
	"errors"
	"fmt"
)

// Code classifies an error for every front door. Each door maps a Code to its
// own vocabulary (HTTP status, MySQL error number) in exactly one place.
type Code string

// The error vocabulary shared by every door.
const (
	CodeInvalid      Code = "invalid_argument"     // malformed request or parameter
	CodeSyntax       Code = "sql_syntax"           // SQL that does not parse
	CodeSQL          Code = "sql_error"            // SQL that parses but fails (no such table, ...)
	CodeConstraint   Code = "constraint_violation" // UNIQUE, NOT NULL, CHECK, FOREIGN KEY
	CodeNotFound     Code = "not_found"            // unknown database or object
	CodeExists       Code = "already_exists"       // database already exists
	CodeReadOnly     Code = "read_only"            // a write sent where only reads are allowed
	CodeTooLarge     Code = "too_large"            // body, statements or rows over a limit
	CodeTimeout      Code = "timeout"              // a query or wait ran out of time
	CodeBusy         Code = "busy"                 // retryable contention
	CodeTxNotFound   Code = "transaction_not_found"
	CodeUnavailable  Code = "unavailable" // retryable: quorum not reached, shutting down
	CodeUnauthorized Code = "unauthorized"
	CodeForbidden    Code = "forbidden"
	CodeGone         Code = "gone" // the change log no longer holds a position
	CodeInternal     Code = "internal"
)

// Error is an error with a Code and a message that is safe to show a client.
type Error struct {
	Code    Code
	Message string
	Err     error // the cause, never shown to clients
}

func (e *Error) Error() string {
	if e.Err != nil && e.Message == "" {
		return string(e.Code) + ": " + e.Err.Error()
	}
	return e.Message
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with a formatted, client-safe message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the Code of err, or CodeInternal for errors outside the vocabulary.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the client-safe message of err.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return "internal error"
}

// Sentinel errors.
var (
	ErrClosed = &Error{Code: CodeUnavailable, Message: "database is closed"}
	ErrTxDone = &Error{Code: CodeTxNotFound, Message: "transaction has already been committed or rolled back"}
)
