package sqlite3

/*
#include "warren_sqlite.h"
*/
import "C"

import (
	"errors"
	"unsafe"
)

// Open flags (a subset of SQLite's).
const (
	OpenReadOnly  = 0x00000001
	OpenReadWrite = 0x00000002
	OpenCreate    = 0x00000004
	OpenURI       = 0x00000040
	OpenNoMutex   = 0x00008000
	OpenPrivCache = 0x00040000
)

// Conn is one native SQLite connection with its own handle and a cache of
// prepared statements.
type Conn struct {
	db    *C.sqlite3
	cache *stmtCache
	stop  *C.int // the sticky interrupt flag (warren_sqlite.h), in C memory
	wal   *C.int // WAL frames after the last commit, once CountWALFrames ran
}

// Open opens a connection. flags are Open* values; OpenNoMutex is always added
// because a Conn is used by one goroutine at a time.
func Open(path string, flags int) (*Conn, error) {
	if err := registerWALVFS(); err != nil {
		return nil, err
	}
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	var db *C.sqlite3
	rc := C.sqlite3_open_v2(cpath, &db, C.int(flags|OpenNoMutex), nil)
	if rc != OK {
		err := &Error{Code: int(rc) & 0xff, Extended: int(rc), Msg: C.GoString(C.sqlite3_errstr(rc))}
		if db != nil {
			C.sqlite3_close_v2(db)
		}
		return nil, err
	}
	C.sqlite3_extended_result_codes(db, 1)
	ints := (*[2]C.int)(C.calloc(2, C.size_t(unsafe.Sizeof(C.int(0)))))
	C.warren_watch_stop(db, &ints[0])
	return &Conn{db: db, cache: newStmtCache(128), stop: &ints[0], wal: &ints[1]}, nil
}

// Close finalizes cached statements and closes the connection.
func (c *Conn) Close() error {
	if c.db == nil {
		return nil
	}
	c.cache.clear()
	rc := C.sqlite3_close_v2(c.db)
	c.db = nil
	C.free(unsafe.Pointer(c.stop)) // and wal, allocated with it
	c.stop, c.wal = nil, nil
	if rc != OK {
		return &Error{Code: int(rc), Extended: int(rc), Msg: C.GoString(C.sqlite3_errstr(rc))}
	}
	return nil
}

// EnableTriggers switches the firing of every trigger on this connection on
// or off (SQLITE_DBCONFIG_ENABLE_TRIGGER); other connections are not
// affected. A change makes prepared statements re-prepare on their next step.
func (c *Conn) EnableTriggers(on bool) error {
	v := 0
	if on {
		v = 1
	}
	return c.errorFor(C.warren_enable_triggers(c.db, C.int(v)))
}

// SetBusyTimeout sets how long a statement waits for a lock held by another connection.
func (c *Conn) SetBusyTimeout(ms int) { C.sqlite3_busy_timeout(c.db, C.int(ms)) }

// Exec runs one or more statements that return no rows and take no parameters.
func (c *Conn) Exec(sql string) error {
	csql := C.CString(sql)
	defer C.free(unsafe.Pointer(csql))
	return c.errorFor(C.warren_exec(c.db, csql))
}

// Changes returns the rows changed by the most recent INSERT, UPDATE or DELETE.
func (c *Conn) Changes() int64 { return int64(C.sqlite3_changes64(c.db)) }

// TotalChanges returns the rows changed since the connection opened.
func (c *Conn) TotalChanges() int64 { return int64(C.sqlite3_total_changes64(c.db)) }

// LastInsertRowID returns the rowid of the most recent successful INSERT.
func (c *Conn) LastInsertRowID() int64 { return int64(C.sqlite3_last_insert_rowid(c.db)) }

// Interrupt makes the running statement, and every statement run after it
// until ClearInterrupt, stop with an Interrupt error; one that has not
// started yet stops within its first thousand instructions. It is the only
// method safe to call from another goroutine.
func (c *Conn) Interrupt() { C.warren_interrupt(c.db, c.stop) }

// ClearInterrupt lets statements run again after Interrupt.
func (c *Conn) ClearInterrupt() { C.warren_clear_interrupt(c.stop) }

// CountWALFrames has the connection note the WAL's length after each of its
// commits (WALFrames), which also turns off its autocheckpoint: its commits
// never copy the WAL back into the database file; Checkpoint on another
// connection does.
func (c *Conn) CountWALFrames() { C.warren_watch_wal(c.db, c.wal) }

// WALFrames returns the WAL's length in frames after the connection's last
// commit, once CountWALFrames ran (0 before). It is safe to call from
// another goroutine.
func (c *Conn) WALFrames() int { return int(C.warren_load(c.wal)) }

// Checkpoint copies what it can of the WAL back into the database file
// without waiting for readers or the writer (a passive checkpoint). It
// returns the WAL's length and how many of its frames are now copied.
func (c *Conn) Checkpoint() (frames, copied int, err error) {
	var nLog, nCkpt C.int
	rc := C.sqlite3_wal_checkpoint_v2(c.db, nil, 0 /* SQLITE_CHECKPOINT_PASSIVE */, &nLog, &nCkpt)
	return int(nLog), int(nCkpt), c.errorFor(rc)
}

// InTx reports whether a transaction is open.
func (c *Conn) InTx() bool { return C.sqlite3_get_autocommit(c.db) == 0 }

// Prepare compiles the first statement of sql and returns it with the
// unparsed rest. A sql of only whitespace or comments returns a nil Stmt.
func (c *Conn) Prepare(sql string) (*Stmt, string, error) {
	if len(sql) == 0 {
		return nil, "", nil
	}
	csql := C.CString(sql)
	defer C.free(unsafe.Pointer(csql))
	var s *C.sqlite3_stmt
	var tail *C.char
	rc := C.sqlite3_prepare_v3(c.db, csql, C.int(len(sql)), 0, &s, &tail)
	if err := c.errorFor(rc); err != nil {
		return nil, "", err
	}
	rest := ""
	if tail != nil {
		off := int(uintptr(unsafe.Pointer(tail)) - uintptr(unsafe.Pointer(csql)))
		if off >= 0 && off < len(sql) {
			rest = sql[off:]
		}
	}
	if s == nil {
		return nil, rest, nil
	}
	return &Stmt{c: c, s: s}, rest, nil
}

// ErrMultiple is returned by Cached for text holding more than one statement.
var ErrMultiple = errors.New("sqlite3: more than one statement")

// Cached returns a prepared statement for sql (exactly one statement) from the
// connection's cache, preparing it on a miss. The caller must call Release
// when done with it, not Finalize.
func (c *Conn) Cached(sql string) (*Stmt, error) {
	if s := c.cache.take(sql); s != nil {
		return s, nil
	}
	s, rest, err := c.Prepare(sql)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return nil, &Error{Code: ErrGeneric, Extended: ErrGeneric, Msg: "empty statement"}
	}
	if !onlySpace(rest) {
		more, _, err := c.Prepare(rest)
		if more != nil || err != nil {
			more.Finalize()
			s.Finalize()
			return nil, ErrMultiple
		}
	}
	s.key = sql
	return s, nil
}

func onlySpace(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\n', '\r', ';':
		default:
			return false
		}
	}
	return true
}
