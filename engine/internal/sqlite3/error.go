package sqlite3

/*
#include "warren_sqlite.h"
*/
import "C"

import "fmt"

// Primary result codes used by callers.
const (
	OK         = 0
	ErrGeneric = 1
	Busy       = 5
	Locked     = 6
	Interrupt  = 9
	ReadOnly   = 8
	Full       = 13
	Constraint = 19
	TooBig     = 18
	Mismatch   = 20
	Range      = 25
	Row        = 100
	Done       = 101
)

// Error is an error reported by SQLite.
type Error struct {
	Code     int    // primary result code
	Extended int    // extended result code
	Msg      string // sqlite3_errmsg at the time of the error
}

func (e *Error) Error() string {
	return fmt.Sprintf("sqlite3: %s (code %d)", e.Msg, e.Extended)
}

// IsSyntax reports whether the error is a parse error.
func (e *Error) IsSyntax() bool {
	return e.Code == ErrGeneric && (containsAny(e.Msg, "syntax error", "incomplete input", "unrecognized token"))
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		for i := 0; i+len(sub) <= len(s); i++ {
			if s[i:i+len(sub)] == sub {
				return true
			}
		}
	}
	return false
}

func (c *Conn) errorFor(rc C.int) error {
	if rc == OK || rc == Row || rc == Done {
		return nil
	}
	msg := C.GoString(C.sqlite3_errmsg(c.db))
	ext := int(C.sqlite3_extended_errcode(c.db))
	if ext&0xff != int(rc)&0xff {
		ext = int(rc)
		msg = C.GoString(C.sqlite3_errstr(rc))
	}
	return &Error{Code: int(rc) & 0xff, Extended: ext, Msg: msg}
}
