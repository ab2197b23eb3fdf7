package engine

import (
	"context"

	"github.com/warren-db/warren/engine/internal/sqlite3"
)

// Vector returns the vector of change sets db has applied.
func (e *Engine) Vector(db string) (Vector, error) {
	d, err := e.db(db)
	if err != nil {
		return nil, err
	}
	return d.vector(), nil
}

// ChangesSince returns up to limit change sets that db holds and v lacks, in
// this node's log order.
func (e *Engine) ChangesSince(ctx context.Context, db string, v Vector, limit int) ([]*ChangeSet, error) {
	var sets []*ChangeSet
	err := e.withReadTx(ctx, db, func(_ *DB, c *sqlite3.Conn) error {
		var err error
		sets, err = changesSince(c, v, limit)
		return err
	})
	return sets, err
}

// withReadTx runs fn in one read transaction (one snapshot) of db.
func (e *Engine) withReadTx(ctx context.Context, db string, fn func(d *DB, c *sqlite3.Conn) error) error {
	return e.withReader(ctx, db, func(d *DB, c *sqlite3.Conn) error {
		if err := c.Exec("BEGIN"); err != nil {
			return sqlError(err)
		}
		defer c.Exec("ROLLBACK")
		return fn(d, c)
	})
}

// withReader runs fn on a pooled read connection of db.
func (e *Engine) withReader(ctx context.Context, db string, fn func(d *DB, c *sqlite3.Conn) error) error {
	d, err := e.db(db)
	if err != nil {
		return err
	}
	c, err := d.reader(ctx)
	if err != nil {
		return err
	}
	defer d.putReader(c)
	return fn(d, c.Conn)
}

// Apply applies a remote change set with last-write-wins per row. Applying a
// set twice, or in any order relative to others, gives the same state.
func (e *Engine) Apply(ctx context.Context, db string, cs *ChangeSet) error {
	return e.ApplyBatch(ctx, db, []*ChangeSet{cs})
}

// ApplyBatch applies remote change sets like Apply, letting the writer
// commit them together (each in its own savepoint): a set that fails leaves
// the others applied. It returns the first failure, in the order of sets.
func (e *Engine) ApplyBatch(ctx context.Context, db string, sets []*ChangeSet) error {
	d, err := e.db(db)
	if err != nil {
		return err
	}
	rs := make([]*writeReq, len(sets))
	for i, cs := range sets {
		rs[i] = &writeReq{apply: cs, level: ConsistencyOne}
	}
	err = d.writer.submitAll(ctx, rs)
	var applied []*ChangeSet
	for i, r := range rs {
		select {
		case <-r.done:
		default:
			continue // never queued, or not answered
		}
		switch {
		case r.errs[0] != nil:
			if err == nil {
				err = r.errs[0]
			}
		default:
			applied = append(applied, sets[i])
		}
	}
	if derr := e.staging.dropApplied(db, applied); derr != nil && err == nil { // staged copies, if any, are done with
		err = derr
	}
	return err
}

// SchemaVersion returns db's schema version (0 for an unknown database).
func (e *Engine) SchemaVersion(db string) int64 {
	d, err := e.db(db)
	if err != nil {
		return 0
	}
	return d.writer.schemaVerSeen.Load()
}
