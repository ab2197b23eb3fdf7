package engine

import (
	"context"
	"fmt"

	"github.com/warren-db/warren/engine/internal/sqlite3"
)

// The change feed: every change set a database holds, whoever wrote it
// (this node, a peer, another process writing the file), has a node-local
// log position. Positions only grow; GC trims the oldest. Readers follow a
// database by asking for the sets after the last position they saw.

// ErrLogTrimmed reports that the change sets after a position were already
// removed by GC: a reader resuming there has missed changes.
var ErrLogTrimmed = Errorf(CodeGone, "the change log no longer holds that position (trimmed by GC); start again from a snapshot")

// LogHead returns the position of the newest change set db holds (0 when
// the log is empty).
func (e *Engine) LogHead(db string) (int64, error) {
	d, err := e.db(db)
	if err != nil {
		return 0, err
	}
	d.vecMu.Lock()
	defer d.vecMu.Unlock()
	return d.head, nil
}

// ChangesAfter returns up to limit change sets of db with a log position
// above pos, in position order. It fails with ErrLogTrimmed when GC removed
// sets right after pos.
func (e *Engine) ChangesAfter(ctx context.Context, db string, pos int64, limit int) ([]*ChangeSet, error) {
	var sets []*ChangeSet
	err := e.withReadTx(ctx, db, func(_ *DB, c *sqlite3.Conn) error {
		var err error
		sets, err = changesAfter(c, pos, limit)
		return err
	})
	return sets, err
}

func changesAfter(c *sqlite3.Conn, pos int64, limit int) ([]*ChangeSet, error) {
	if limit <= 0 {
		limit = 1000
	}
	rows, err := queryAll(c, "SELECT pos, origin, seq, hlc, schema_version FROM __warren_log WHERE pos > ? ORDER BY pos LIMIT ?", pos, limit)
	if err != nil {
		return nil, fmt.Errorf("read log: %w", err)
	}
	out := make([]*ChangeSet, 0, len(rows))
	for _, r := range rows {
		cs := &ChangeSet{Pos: r[0].(int64), Origin: r[1].(string), Seq: uint64(r[2].(int64)),
			HLC: HLC(r[3].(int64)), SchemaVersion: r[4].(int64)}
		if cs.Pos != pos+1 { // positions are contiguous: a hole is GC's doing
			if len(out) == 0 {
				return nil, ErrLogTrimmed
			}
			break // the caller learns of the hole on its next call
		}
		if err := fillChangeSet(c, cs); err != nil {
			return nil, err
		}
		out = append(out, cs)
		pos = cs.Pos
	}
	return out, nil
}

// WaitChanges blocks until db holds a change set past pos, ctx ends
// (ctx.Err()) or the database closes (ErrClosed: it was dropped, replaced by
// a snapshot, or the engine is stopping).
func (e *Engine) WaitChanges(ctx context.Context, db string, pos int64) error {
	d, err := e.db(db)
	if err != nil {
		return err
	}
	for {
		d.vecMu.Lock()
		head, wake := d.head, d.vecWake
		d.vecMu.Unlock()
		if head > pos {
			return nil
		}
		select {
		case <-wake:
		case <-ctx.Done():
			return ctx.Err()
		case <-d.closing:
			return ErrClosed
		}
	}
}

// View is a consistent read of one database at one log position: what its
// queries see is exactly the effect of the change sets up to Pos.
type View struct {
	// Pos is the log position the view reflects.
	Pos  int64
	conn *sqlite3.Conn
	max  int
}

// Query runs one read statement in the view.
func (v *View) Query(st Statement) (*Rows, error) {
	r := runner{conn: v.conn, maxRows: v.max}
	out, err := r.run(st, true)
	if err != nil {
		return nil, err
	}
	if out.Rows == nil {
		out.Rows = &Rows{Columns: []Column{}, Rows: [][]Value{}}
	}
	return out.Rows, nil
}

// ReadView runs fn with a consistent view of db (one read transaction), so
// that a reader can take the current rows and then follow the change feed
// from View.Pos without a gap or an overlap. maxRows bounds each query
// (0: the configured limit); statements are interrupted when ctx ends.
func (e *Engine) ReadView(ctx context.Context, db string, maxRows int, fn func(v *View) error) error {
	return e.withReadTx(ctx, db, func(d *DB, c *sqlite3.Conn) error {
		pos, err := queryInt(c, "SELECT coalesce(max(pos), 0) FROM __warren_log")
		if err != nil {
			return fmt.Errorf("read log head: %w", err)
		}
		if maxRows <= 0 || maxRows > d.cfg.MaxRows {
			maxRows = d.cfg.MaxRows
		}
		stop := interruptAfter(ctx, c, 0)
		defer stop()
		return fn(&View{Pos: pos, conn: c, max: maxRows})
	})
}
