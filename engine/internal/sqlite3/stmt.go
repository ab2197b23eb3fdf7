package sqlite3

/*
#include "warren_sqlite.h"
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// Column value types.
const (
	TypeInteger = 1
	TypeFloat   = 2
	TypeText    = 3
	TypeBlob    = 4
	TypeNull    = 5
)

// Stmt is a prepared statement.
type Stmt struct {
	c   *Conn
	s   *C.sqlite3_stmt
	key string // cache key when the statement came from Conn.Cached
}

// Finalize destroys the statement. It is safe on a nil Stmt.
func (s *Stmt) Finalize() {
	if s == nil || s.s == nil {
		return
	}
	C.sqlite3_finalize(s.s)
	s.s = nil
}

// Release resets the statement and returns it to its connection's cache
// (statements from Prepare are finalized instead).
func (s *Stmt) Release() {
	if s.key == "" {
		s.Finalize()
		return
	}
	C.sqlite3_reset(s.s)
	C.sqlite3_clear_bindings(s.s)
	s.c.cache.put(s)
}

// Reset makes the statement ready to run again; bindings are kept.
func (s *Stmt) Reset() error { return s.c.errorFor(C.sqlite3_reset(s.s)) }

// ReadOnly reports whether the statement makes no direct change to the database.
func (s *Stmt) ReadOnly() bool { return C.sqlite3_stmt_readonly(s.s) != 0 }

// IsExplain reports whether the statement is an EXPLAIN.
func (s *Stmt) IsExplain() bool { return C.sqlite3_stmt_isexplain(s.s) != 0 }

// ParamCount returns the largest parameter index.
func (s *Stmt) ParamCount() int { return int(C.sqlite3_bind_parameter_count(s.s)) }

// ParamName returns the name of parameter i (1-based) with its prefix
// (":a", "@a", "$a", "?3"), or "" for an anonymous "?".
func (s *Stmt) ParamName(i int) string {
	return C.GoString(C.sqlite3_bind_parameter_name(s.s, C.int(i)))
}

// Bind binds v (nil, int64, int, float64, string, []byte, bool) to parameter i (1-based).
func (s *Stmt) Bind(i int, v any) error {
	var rc C.int
	ci := C.int(i)
	switch x := v.(type) {
	case nil:
		rc = C.sqlite3_bind_null(s.s, ci)
	case int64:
		rc = C.sqlite3_bind_int64(s.s, ci, C.sqlite3_int64(x))
	case int:
		rc = C.sqlite3_bind_int64(s.s, ci, C.sqlite3_int64(x))
	case float64:
		rc = C.sqlite3_bind_double(s.s, ci, C.double(x))
	case bool:
		b := 0
		if x {
			b = 1
		}
		rc = C.sqlite3_bind_int64(s.s, ci, C.sqlite3_int64(b))
	case string:
		rc = s.bindText(ci, x)
	case []byte:
		rc = s.bindBlob(ci, x)
	default:
		return fmt.Errorf("bind parameter %d: unsupported type %T", i, v)
	}
	return s.c.errorFor(rc)
}

func (s *Stmt) bindText(i C.int, x string) C.int {
	if len(x) == 0 {
		return C.warren_bind_text(s.s, i, (*C.char)(unsafe.Pointer(&zero)), 0)
	}
	return C.warren_bind_text(s.s, i, (*C.char)(unsafe.Pointer(unsafe.StringData(x))), C.int(len(x)))
}

func (s *Stmt) bindBlob(i C.int, x []byte) C.int {
	if len(x) == 0 {
		return C.sqlite3_bind_zeroblob(s.s, i, 0)
	}
	return C.warren_bind_blob(s.s, i, unsafe.Pointer(&x[0]), C.int(len(x)))
}

var zero byte

// ParamIndex returns the index of a named parameter (with prefix), or 0.
func (s *Stmt) ParamIndex(name string) int {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	return int(C.sqlite3_bind_parameter_index(s.s, cname))
}

// Step advances the statement: true when a row is ready, false when done.
func (s *Stmt) Step() (bool, error) {
	rc := C.sqlite3_step(s.s)
	switch rc {
	case Row:
		return true, nil
	case Done:
		return false, nil
	}
	return false, s.c.errorFor(rc)
}

// ColumnCount returns the number of result columns.
func (s *Stmt) ColumnCount() int { return int(C.sqlite3_column_count(s.s)) }

// ColumnName returns the name of column i (0-based).
func (s *Stmt) ColumnName(i int) string { return C.GoString(C.sqlite3_column_name(s.s, C.int(i))) }

// ColumnDeclType returns the declared type of column i, or "" for an expression.
func (s *Stmt) ColumnDeclType(i int) string {
	p := C.sqlite3_column_decltype(s.s, C.int(i))
	if p == nil {
		return ""
	}
	return C.GoString(p)
}

// ColumnType returns the Type* of column i in the current row.
func (s *Stmt) ColumnType(i int) int { return int(C.sqlite3_column_type(s.s, C.int(i))) }

// ColumnValue returns column i of the current row as nil, int64, float64, string or []byte.
func (s *Stmt) ColumnValue(i int) any {
	ci := C.int(i)
	switch C.sqlite3_column_type(s.s, ci) {
	case TypeInteger:
		return int64(C.sqlite3_column_int64(s.s, ci))
	case TypeFloat:
		return float64(C.sqlite3_column_double(s.s, ci))
	case TypeText:
		p := C.sqlite3_column_text(s.s, ci)
		n := C.sqlite3_column_bytes(s.s, ci)
		return C.GoStringN((*C.char)(unsafe.Pointer(p)), n)
	case TypeBlob:
		p := C.sqlite3_column_blob(s.s, ci)
		n := C.sqlite3_column_bytes(s.s, ci)
		if p == nil || n == 0 {
			return []byte{}
		}
		return C.GoBytes(p, n)
	}
	return nil
}

// ColumnInt64 returns column i of the current row as an integer.
func (s *Stmt) ColumnInt64(i int) int64 { return int64(C.sqlite3_column_int64(s.s, C.int(i))) }

// ColumnText returns column i of the current row as text.
func (s *Stmt) ColumnText(i int) string {
	ci := C.int(i)
	p := C.sqlite3_column_text(s.s, ci)
	if p == nil {
		return ""
	}
	return C.GoStringN((*C.char)(unsafe.Pointer(p)), C.sqlite3_column_bytes(s.s, ci))
}
