package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/warren-db/warren/engine/internal/sqlite3"
)

// Staging is the participant side of a QUORUM/ALL write: a peer stages the
// coordinator's change sets durably without applying them, then applies them
// when told the coordinator committed, or drops them when told it rolled
// back. A staged set whose outcome never arrives is resolved from the
// origin's log: committed iff the origin's log holds the same (seq, hlc).

// maxStagedMem bounds the staged sets kept decoded in memory.
const maxStagedMem = 10000

// SetID identifies a change set; HLC tells apart two sets an origin stamped
// with the same sequence (one rolled back, the next committed).
type SetID struct {
	Origin string `json:"origin"`
	Seq    uint64 `json:"seq"`
	HLC    HLC    `json:"hlc"`
}

// ID returns the identity of cs.
func (cs *ChangeSet) ID() SetID { return SetID{Origin: cs.Origin, Seq: cs.Seq, HLC: cs.HLC} }

// StagedSet describes a staged change set.
type StagedSet struct {
	SetID
	Received time.Time
}

// Stage stores sets durably without applying them. Sets already applied are
// acknowledged without being stored. It never waits for the database's
// writer, which may be held by this node's own two-phase write.
func (e *Engine) Stage(ctx context.Context, db string, sets []*ChangeSet) error {
	d, err := e.db(db)
	if err != nil {
		return err
	}
	v := d.vector()
	var fresh []*ChangeSet
	for _, cs := range sets {
		// A write this node takes after it acknowledged the set must win over
		// it, whatever the clocks' skew: the coordinator may answer on this ack.
		e.clock.Observe(cs.HLC)
		if v[cs.Origin] < cs.Seq {
			fresh = append(fresh, cs)
		}
	}
	apply, err := e.staging.put(db, fresh)
	if err != nil || len(apply) == 0 {
		return err
	}
	go func() { // outcomes that overtook their prepares: apply without holding the ack
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := e.CommitStaged(ctx, db, ids(apply)); err != nil {
			e.log.Warn("apply staged sets committed early", "db", db, "err", err)
		}
	}()
	return nil
}

func ids(sets []*ChangeSet) []SetID {
	out := make([]SetID, len(sets))
	for i, cs := range sets {
		out[i] = cs.ID()
	}
	return out
}

// CommitStaged applies staged sets whose origin committed them. Each set
// applies in its own savepoint; one that cannot apply yet (it needs a schema
// this node lacks) stays staged and its error is returned.
func (e *Engine) CommitStaged(ctx context.Context, db string, setIDs []SetID) error {
	var sets []*ChangeSet
	for _, id := range setIDs {
		cs, err := e.staging.committed(db, id) // not staged yet: remembered for its prepare
		if err != nil {
			return err
		}
		if cs != nil {
			sets = append(sets, cs)
		}
	}
	return e.ApplyBatch(ctx, db, sets) // drops the staged copies once applied
}

// AbortStaged drops staged sets whose origin rolled them back.
func (e *Engine) AbortStaged(ctx context.Context, db string, setIDs []SetID) error {
	for _, id := range setIDs {
		if err := e.staging.aborted(db, id); err != nil { // not staged yet: remembered for its prepare
			return err
		}
	}
	return nil
}

// Staged lists staged sets of db received before cutoff.
func (e *Engine) Staged(ctx context.Context, db string, cutoff time.Time) ([]StagedSet, error) {
	return e.staging.list(db, cutoff)
}

// SetState is what a node knows of one of its own change sets.
type SetState int

// Set states, as the origin answers a peer resolving a staged set.
const (
	SetUnknown   SetState = iota // not in the log (not committed yet, or rolled back)
	SetCommitted                 // in the log with the same HLC
	SetAborted                   // the sequence was committed with another HLC: this one was rolled back
)

// SetStatus tells whether this node's log holds change set id.
func (e *Engine) SetStatus(ctx context.Context, db string, id SetID) (SetState, error) {
	var rows [][]Value
	err := e.withReader(ctx, db, func(_ *DB, c *sqlite3.Conn) (err error) {
		rows, err = queryAll(c, "SELECT hlc FROM __warren_log WHERE origin = ? AND seq = ?", id.Origin, int64(id.Seq))
		return err
	})
	switch {
	case err != nil:
		return SetUnknown, fmt.Errorf("read log: %w", err)
	case len(rows) == 0:
		return SetUnknown, nil
	case HLC(rows[0][0].(int64)) == id.HLC:
		return SetCommitted, nil
	}
	return SetAborted, nil
}

// writerJob runs fn on db's writer goroutine inside a savepoint of a batch.
func (e *Engine) writerJob(ctx context.Context, db string, fn func(w *writer) error) error {
	d, err := e.db(db)
	if err != nil {
		return err
	}
	r := &writeReq{fn: func() error { return fn(d.writer) }, level: ConsistencyOne}
	if err := d.writer.submit(ctx, r); err != nil {
		return err
	}
	return r.errs[0]
}

// StagedCount returns how many change sets this node holds staged for
// other nodes' writes to db.
func (e *Engine) StagedCount(db string) int { return e.staging.count(db) }
