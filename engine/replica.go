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
	err := e.withReader(ctx, db, func(_ *DB, c *sqlite3.Conn) error {
		if err := c.Exec("BEGIN"); err != nil {
			return sqlError(err)
		}
		defer c.Exec("ROLLBACK")
		var err error
		sets, err = changesSince(c, v, limit)
		return err
	})
	return sets, err
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
	return fn(d, c)
}

// Apply applies a remote change set with last-write-wins per row. Applying a
// set twice, or in any order relative to others, gives the same state.
func (e *Engine) Apply(ctx context.Context, db string, cs *ChangeSet) error {
	d, err := e.db(db)
	if err != nil {
		return err
	}
	r := &writeReq{apply: cs, level: ConsistencyOne}
	if err := d.writer.submit(ctx, r); err != nil {
		return err
	}
	if r.errs[0] != nil {
		return r.errs[0]
	}
	_, err = e.staging.drop(db, cs.Origin, cs.Seq, 0) // a staged copy, if any, is done with
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
