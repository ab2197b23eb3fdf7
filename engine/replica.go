package engine

import (
	"context"
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
	d, err := e.db(db)
	if err != nil {
		return nil, err
	}
	c, err := d.reader(ctx)
	if err != nil {
		return nil, err
	}
	defer d.putReader(c)
	if err := c.Exec("BEGIN"); err != nil {
		return nil, sqlError(err)
	}
	defer c.Exec("ROLLBACK")
	return changesSince(c, v, limit)
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
	return r.errs[0]
}

// SchemaVersion returns db's schema version (0 for an unknown database).
func (e *Engine) SchemaVersion(db string) int64 {
	d, err := e.db(db)
	if err != nil {
		return 0
	}
	return d.writer.schemaVerSeen.Load()
}
