package engine

import (
	"context"
	"sync"
	"time"

	"github.com/warren-db/warren/engine/internal/sqlite3"
)

// query runs one read on a pooled read-only connection.
func (db *DB) query(ctx context.Context, st Statement, o QueryOptions) (*Rows, error) {
	timeout := db.cfg.QueryTimeout
	if o.Timeout > 0 && o.Timeout < timeout {
		timeout = o.Timeout
	}
	if err := db.awaitBookmark(ctx, o.Bookmark, timeout); err != nil {
		return nil, err
	}
	c, err := db.warmReader(ctx)
	if err != nil {
		return nil, err
	}
	defer db.putReader(c)
	maxRows := db.cfg.MaxRows
	if o.MaxRows > 0 && o.MaxRows < maxRows {
		maxRows = o.MaxRows
	}
	r := runner{conn: c.Conn, maxRows: maxRows}
	stop := interruptAfter(ctx, c.Conn, timeout)
	out, err := r.run(st, true)
	stop()
	if err != nil {
		return nil, err
	}
	if out.Rows == nil {
		out.Rows = &Rows{Columns: []Column{}, Rows: [][]Value{}}
	}
	return out.Rows, nil
}

// interruptAfter interrupts c's statements when timeout passes (0: never) or
// ctx ends, from now until the returned stop, which must be called when they
// are done. An interrupt stays in force until stop (sqlite3.Conn.Interrupt),
// so one that comes between statements or just before a statement starts
// is not lost; stop clears it, and a timer or ctx that fires after stop
// does nothing, so the next user of c is never interrupted by this one.
func interruptAfter(ctx context.Context, c *sqlite3.Conn, timeout time.Duration) (stop func()) {
	var mu sync.Mutex
	armed := true
	fire := func() {
		mu.Lock()
		defer mu.Unlock()
		if armed {
			c.Interrupt()
		}
	}
	stopCtx := context.AfterFunc(ctx, fire)
	stopTimer := func() bool { return false }
	if timeout > 0 {
		stopTimer = time.AfterFunc(timeout, fire).Stop
	}
	return func() {
		stopTimer()
		stopCtx()
		mu.Lock()
		defer mu.Unlock()
		armed = false
		c.ClearInterrupt()
	}
}
