package engine

import (
	"context"
	"encoding/json"
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
// acknowledged without being stored.
func (e *Engine) Stage(ctx context.Context, db string, sets []*ChangeSet) error {
	return e.writerJob(ctx, db, func(w *writer) error {
		for _, cs := range sets {
			if err := w.stageOne(cs); err != nil {
				return err
			}
		}
		return nil
	})
}

func (w *writer) stageOne(cs *ChangeSet) error {
	if w.vector[cs.Origin] >= cs.Seq {
		return nil
	}
	switch w.early.take(cs.ID()) {
	case outcomeCommitted: // the outcome overtook the prepare
		return w.applySet(cs)
	case outcomeAborted:
		return nil
	}
	body, err := json.Marshal(cs)
	if err != nil {
		return fmt.Errorf("encode staged set: %w", err)
	}
	err = execArgs(w.conn, `INSERT INTO __warren_staged(origin, seq, hlc, body, received) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(origin, seq) DO UPDATE SET hlc = excluded.hlc, body = excluded.body, received = excluded.received`,
		cs.Origin, int64(cs.Seq), int64(cs.HLC), string(body), time.Now().UnixMilli())
	if err == nil {
		if len(w.stagedMem) > maxStagedMem {
			clear(w.stagedMem) // the rest decode from the table
		}
		w.stagedMem[cs.ID()] = cs
	}
	return err
}

// CommitStaged applies staged sets whose origin committed them. Each set
// applies in its own savepoint; one that cannot apply yet (it needs a schema
// this node lacks) stays staged and its error is returned.
func (e *Engine) CommitStaged(ctx context.Context, db string, ids []SetID) error {
	var firstErr error
	err := e.writerJob(ctx, db, func(w *writer) error {
		for _, id := range ids {
			if err := w.savepoint(func() error { return w.commitStaged(id) }); err != nil && firstErr == nil {
				firstErr = err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return firstErr
}

func (w *writer) commitStaged(id SetID) error {
	cs, err := w.loadStaged(id)
	if err != nil {
		return err
	}
	if cs == nil {
		if w.vector[id.Origin] < id.Seq {
			w.early.put(id, outcomeCommitted) // the prepare may still be on its way
		}
		return nil
	}
	delete(w.stagedMem, id)
	return w.applySet(cs)
}

// loadStaged returns a staged set, from memory when this process staged it.
func (w *writer) loadStaged(id SetID) (*ChangeSet, error) {
	rows, err := queryAll(w.conn, "SELECT length(body) FROM __warren_staged WHERE origin = ? AND seq = ? AND hlc = ?",
		id.Origin, int64(id.Seq), int64(id.HLC))
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	if cs, ok := w.stagedMem[id]; ok {
		return cs, nil
	}
	rows, err = queryAll(w.conn, "SELECT body FROM __warren_staged WHERE origin = ? AND seq = ? AND hlc = ?",
		id.Origin, int64(id.Seq), int64(id.HLC))
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	var cs ChangeSet
	if err := json.Unmarshal([]byte(rows[0][0].(string)), &cs); err != nil {
		return nil, fmt.Errorf("decode staged set: %w", err)
	}
	return &cs, nil
}

// AbortStaged drops staged sets whose origin rolled them back.
func (e *Engine) AbortStaged(ctx context.Context, db string, ids []SetID) error {
	return e.writerJob(ctx, db, func(w *writer) error {
		for _, id := range ids {
			if err := execArgs(w.conn, "DELETE FROM __warren_staged WHERE origin = ? AND seq = ? AND hlc = ?",
				id.Origin, int64(id.Seq), int64(id.HLC)); err != nil {
				return err
			}
			delete(w.stagedMem, id)
			if w.conn.Changes() == 0 {
				w.early.put(id, outcomeAborted)
			}
		}
		return nil
	})
}

// Staged lists staged sets received before cutoff.
func (e *Engine) Staged(ctx context.Context, db string, cutoff time.Time) ([]StagedSet, error) {
	var rows [][]Value
	err := e.withReader(ctx, db, func(_ *DB, c *sqlite3.Conn) (err error) {
		rows, err = queryAll(c, "SELECT origin, seq, hlc, received FROM __warren_staged WHERE received < ? ORDER BY origin, seq", cutoff.UnixMilli())
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list staged sets: %w", err)
	}
	out := make([]StagedSet, len(rows))
	for i, r := range rows {
		out[i] = StagedSet{SetID: SetID{Origin: r[0].(string), Seq: uint64(r[1].(int64)), HLC: HLC(r[2].(int64))},
			Received: time.UnixMilli(r[3].(int64))}
	}
	return out, nil
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
