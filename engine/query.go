package engine

import (
	"context"
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

// interruptAfter interrupts c's running statement when timeout passes or ctx
// ends. The returned stop must be called when the statement is done.
func interruptAfter(ctx context.Context, c *sqlite3.Conn, timeout time.Duration) (stop func()) {
	t := time.AfterFunc(timeout, c.Interrupt)
	cancel := context.AfterFunc(ctx, c.Interrupt)
	return func() {
		t.Stop()
		cancel()
	}
}
