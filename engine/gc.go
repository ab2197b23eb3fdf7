package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/warren-db/warren/engine/internal/sqlite3"
)

// GCOptions says what the change log may forget.
type GCOptions struct {
	// Safe is what every live member has applied: sets at or below it may go
	// once older than MinRetention.
	Safe         Vector
	MinRetention time.Duration
	// MaxRetention forces sets out even if some member lacks them; such a
	// member then needs a snapshot.
	MaxRetention time.Duration
	// Limit bounds the sets removed in one call (0: 10,000) so the writer
	// never stalls.
	Limit int
}

// GCResult counts what a GC pass removed.
type GCResult struct {
	Sets, Tombstones, Staged int64
}

// GC trims the change log and old tombstones of db.
func (e *Engine) GC(ctx context.Context, db string, o GCOptions) (GCResult, error) {
	var res GCResult
	if o.Limit <= 0 {
		o.Limit = 10000
	}
	now := time.Now()
	minHLC := makeHLC(now.Add(-o.MinRetention).UnixMilli(), 0)
	maxHLC := makeHLC(now.Add(-o.MaxRetention).UnixMilli(), 0)
	err := e.writerJob(ctx, db, func(w *writer) error {
		doomed, err := w.gcCandidates(o.Safe, minHLC, maxHLC, e.holds.floor(db), o.Limit)
		if err != nil {
			return err
		}
		for _, pos := range doomed {
			if err := w.dropSet(pos); err != nil {
				return err
			}
		}
		res.Sets = int64(len(doomed))
		if err := execArgs(w.conn, "DELETE FROM __warren_versions WHERE state = 1 AND hlc < ?", int64(minHLC)); err != nil {
			return fmt.Errorf("drop tombstones: %w", err)
		}
		res.Tombstones = w.conn.Changes()
		return nil
	})
	if err == nil {
		res.Staged, err = e.staging.expire(db, now.Add(-o.MaxRetention))
	}
	return res, err
}

// gcCandidates lists log positions that may go: covered by safe and older
// than the minimum retention, or older than the maximum retention. The
// newest entry always stays, so log positions are never reused, and so does
// every entry past hold, the lowest position a feed reader still needs
// (-1: none).
func (w *writer) gcCandidates(safe Vector, minHLC, maxHLC HLC, hold int64, limit int) ([]int64, error) {
	if hold < 0 {
		hold = w.pos
	}
	rows, err := queryAll(w.conn, `SELECT pos, origin, seq, hlc FROM __warren_log
		WHERE hlc < ? AND pos < (SELECT max(pos) FROM __warren_log) AND pos <= ? ORDER BY pos LIMIT ?`,
		int64(minHLC), hold, limit)
	if err != nil {
		return nil, fmt.Errorf("list old change sets: %w", err)
	}
	var out []int64
	for _, r := range rows {
		covered := uint64(r[2].(int64)) <= safe[r[1].(string)]
		if covered || HLC(r[3].(int64)) < maxHLC {
			out = append(out, r[0].(int64))
		}
	}
	return out, nil
}

func (w *writer) dropSet(pos int64) error {
	if err := execArgs(w.conn, "DELETE FROM __warren_changes WHERE pos = ?", pos); err != nil {
		return fmt.Errorf("drop changes: %w", err)
	}
	return execArgs(w.conn, "DELETE FROM __warren_log WHERE pos = ?", pos)
}

// LogFloor returns, per origin, the highest sequence db's log no longer
// holds: a peer whose vector is below it must bootstrap from a snapshot.
func (e *Engine) LogFloor(ctx context.Context, db string) (Vector, error) {
	var floor Vector
	err := e.withReader(ctx, db, func(d *DB, c *sqlite3.Conn) (err error) {
		floor, err = logFloor(c, d.vector())
		return err
	})
	return floor, err
}
