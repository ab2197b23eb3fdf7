package api

import (
	"crypto/rand"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/warren-db/warren/engine"
)

// Sweep timing of the transaction table. The engine rolls back idle
// transactions itself; the table only forgets the ids of those that no
// client came back for, and rolls back anything idle longer than
// txForgetAfter in case the engine's own timeout is configured longer.
const (
	txForgetAfter = 10 * time.Minute
	txSweepEvery  = time.Minute
)

// errTxNotFound answers an unknown, finished or foreign transaction id alike,
// so that ids of other tokens cannot be probed.
var errTxNotFound = engine.Errorf(engine.CodeTxNotFound, "transaction not found: unknown id, or it ended (committed, rolled back, or idle too long)")

// txEntry is one open interactive transaction.
type txEntry struct {
	id    string
	db    string
	owner *principal
	tx    *engine.Tx

	mu   sync.Mutex // serializes the requests of the transaction; guards the fields below
	used time.Time
	done bool
}

// txTable maps unguessable ids to open transactions.
type txTable struct {
	now func() time.Time

	mu        sync.Mutex
	open      map[string]*txEntry
	lastSweep time.Time
	closed    bool
}

func newTxTable() *txTable {
	return &txTable{now: time.Now, open: make(map[string]*txEntry)}
}

// add registers tx and returns its entry with a fresh random id.
func (t *txTable) add(tx *engine.Tx, db string, owner *principal) (*txEntry, error) {
	t.sweep()
	e := &txEntry{id: rand.Text(), db: db, owner: owner, tx: tx, used: t.now()}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return nil, engine.Errorf(engine.CodeUnavailable, "server is shutting down")
	}
	t.open[e.id] = e
	return e, nil
}

// acquire returns the locked entry of id if it belongs to db and owner.
// The caller calls release (or finish) when done.
func (t *txTable) acquire(id, db string, owner *principal) (*txEntry, error) {
	t.mu.Lock()
	e := t.open[id]
	t.mu.Unlock()
	if e == nil || e.db != db || e.owner != owner {
		return nil, errTxNotFound
	}
	e.mu.Lock()
	if e.done {
		e.mu.Unlock()
		return nil, errTxNotFound
	}
	return e, nil
}

// release unlocks e after a request; an error saying the engine ended the
// transaction (idle timeout) forgets it.
func (t *txTable) release(e *txEntry, err error) {
	if engine.ErrorCode(err) == engine.CodeTxNotFound {
		t.finish(e)
		return
	}
	e.used = t.now()
	e.mu.Unlock()
}

// finish marks the locked e done, forgets it and unlocks it.
func (t *txTable) finish(e *txEntry) {
	e.done = true
	t.mu.Lock()
	delete(t.open, e.id)
	t.mu.Unlock()
	e.mu.Unlock()
}

// sweep rolls back and forgets transactions idle past txForgetAfter, at most
// once per txSweepEvery. Entries busy with a request are not idle.
func (t *txTable) sweep() {
	now := t.now()
	t.mu.Lock()
	if now.Sub(t.lastSweep) < txSweepEvery {
		t.mu.Unlock()
		return
	}
	t.lastSweep = now
	var idle []*txEntry
	for _, e := range t.open {
		if e.mu.TryLock() {
			if now.Sub(e.used) > txForgetAfter {
				idle = append(idle, e)
			} else {
				e.mu.Unlock()
			}
		}
	}
	t.mu.Unlock()
	for _, e := range idle {
		_ = e.tx.Rollback() // usually ErrTxDone: the engine already ended it
		t.finish(e)
	}
}

// forgetDatabase rolls back and forgets the transactions of a database
// about to be dropped.
func (t *txTable) forgetDatabase(db string) error {
	if err := t.endMatching(func(e *txEntry) bool { return e.db == db }); err != nil {
		return fmt.Errorf("roll back transactions of %s: %w", db, err)
	}
	return nil
}

// closeAll rolls back every open transaction and refuses new ones.
func (t *txTable) closeAll() error {
	t.mu.Lock()
	t.closed = true
	t.mu.Unlock()
	if err := t.endMatching(func(*txEntry) bool { return true }); err != nil {
		return fmt.Errorf("roll back open transactions: %w", err)
	}
	return nil
}

// endMatching ends the open transactions for which match is true.
func (t *txTable) endMatching(match func(*txEntry) bool) error {
	t.mu.Lock()
	var found []*txEntry
	for _, e := range t.open {
		if match(e) {
			found = append(found, e)
		}
	}
	t.mu.Unlock()
	var errs []error
	for _, e := range found {
		errs = append(errs, t.end(e))
	}
	return errors.Join(errs...)
}

// end rolls back e, unless a request ended it meanwhile, and forgets it. The
// engine having ended it already is not an error.
func (t *txTable) end(e *txEntry) error {
	e.mu.Lock()
	if e.done {
		e.mu.Unlock()
		return nil
	}
	err := e.tx.Rollback()
	t.finish(e)
	if engine.ErrorCode(err) == engine.CodeTxNotFound {
		return nil
	}
	return err
}
