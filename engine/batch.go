package engine

import (
	"errors"
	"fmt"
	"slices"
)

// runBatch group-commits a batch of requests in one SQLite transaction.
func (w *writer) runBatch(batch []*writeReq) {
	err := w.conn.Exec("BEGIN IMMEDIATE")
	if err == nil {
		err = w.beginWork()
	}
	if err != nil {
		w.conn.Exec("ROLLBACK")
		w.unlockSchema()
		w.finish(batch, sqlError(err))
		return
	}
	for i, r := range batch {
		if err = w.runReq(r); errors.Is(err, errTxLost) {
			w.retryWithout(batch, i)
			return
		}
		if err != nil {
			break
		}
	}
	if err == nil {
		err = w.stampBatch()
	}
	if errors.Is(err, errSplitBatch) {
		w.retryAlone(batch)
		return
	}
	sets := append([]*ChangeSet(nil), w.stamped...)
	prepared := false
	if err == nil {
		err = w.setMute(false)
	}
	if err == nil {
		err = w.beforeCommit()
	}
	if err == nil {
		prepared, err = w.replicate(batch[0].level, sets)
	}
	if err == nil {
		if err = w.conn.Exec("COMMIT"); err != nil {
			err = fmt.Errorf("commit batch: %w", sqlError(err))
			if prepared {
				w.db.repl().Aborted(w.db.name, sets)
			}
		}
	}
	if err != nil {
		w.conn.Exec("ROLLBACK")
		w.recover()
		w.unlockSchema()
		w.finish(batch, err)
		return
	}
	w.afterCommit()
	w.published()
	applied := w.committed(sets, prepared)
	w.unlockSchema()
	for _, r := range batch {
		r.applied = applied
	}
	w.finish(batch, nil)
}

// beginWork runs at the start of every write transaction: it picks up schema
// changes and stamps changes that other processes wrote into the file.
func (w *writer) beginWork() error {
	if err := w.refreshSchema(false); err != nil {
		return err
	}
	w.stamped, w.unstamped = w.stamped[:0], w.unstamped[:0]
	cs, err := w.stamp()
	if cs != nil {
		w.db.log.Info("stamped changes written by another process", "seq", cs.Seq, "rows", len(cs.Changes))
	}
	return err
}

// recover reloads the writer's state after a failed commit.
func (w *writer) recover() {
	if err := w.loadState(); err != nil {
		w.db.log.Error("reload writer state", "err", err)
	}
	w.schemaCookie = -1
	w.pendingDDL, w.unstamped = 0, w.unstamped[:0]
	w.mute = false // the rollback took the mute row with it
	if err := w.quietTriggers(false); err != nil {
		w.db.log.Error("switch triggers back on", "err", err)
	}
}

// runReq runs one request's units, each in its own savepoint. Its error is
// not the request's: errTxLost has the batch run again without r, any other
// fails the whole batch (the changes of the requests before it could not be
// stamped).
func (w *writer) runReq(r *writeReq) error {
	if err := r.ctx.Err(); err != nil {
		r.errs = []error{Errorf(CodeTimeout, "request cancelled before it ran")}
		return nil
	}
	if r.units == nil { // remote sets and internal jobs see this batch's own changes stamped
		if err := w.stampBatch(); err != nil {
			return err
		}
	}
	if err := w.setMute(r.apply != nil); err != nil {
		r.errs = []error{err}
		return nil
	}
	switch {
	case r.apply != nil:
		r.errs = []error{w.savepoint(func() error { return w.applySet(r.apply) })}
		return w.checkTx(r, r.errs[0])
	case r.fn != nil:
		r.errs = []error{w.savepoint(r.fn)}
		return w.checkTx(r, r.errs[0])
	}
	r.results = make([][]Result, len(r.units))
	r.errs = make([]error, len(r.units))
	for i, unit := range r.units {
		r.errs[i] = w.runOwnUnit(r, i, unit)
		if errors.Is(r.errs[i], errStampFirst) {
			if err := w.stampBatch(); err != nil {
				return err
			}
			r.errs[i] = w.runOwnUnit(r, i, unit)
		}
		if err := w.checkTx(r, r.errs[i]); err != nil {
			return err
		}
	}
	return nil
}

// errTxLost: a statement's ROLLBACK conflict resolution (INSERT OR ROLLBACK,
// ON CONFLICT ROLLBACK in a table, RAISE(ROLLBACK) in a trigger) ended the
// batch's whole transaction, savepoints and all.
var errTxLost = errors.New("the transaction was rolled back by a statement")

// checkTx reports errTxLost when the transaction ended under r; r then fails
// as a whole with err, the statement's own error (its other units went too).
func (w *writer) checkTx(r *writeReq, err error) error {
	if w.conn.InTx() {
		return nil
	}
	if err == nil {
		err = Errorf(CodeSQL, "the statement ended the transaction")
	}
	r.results, r.sets, r.errs = nil, nil, []error{err}
	return errTxLost
}

// retryWithout answers batch[i], whose statement rolled the batch's
// transaction back, and queues the others again in front: those before it
// were undone with it, those after it have not run.
func (w *writer) retryWithout(batch []*writeReq, i int) {
	w.recover()
	w.unlockSchema()
	close(batch[i].done)
	w.requeue(slices.Concat(batch[:i], batch[i+1:]))
}

// retryAlone rolls the batch back and queues it again in front, every
// request to be stamped alone: together their changes were too large for
// one change set.
func (w *writer) retryAlone(batch []*writeReq) {
	w.conn.Exec("ROLLBACK")
	w.recover()
	w.unlockSchema()
	for _, r := range batch {
		r.alone = true
	}
	w.requeue(slices.Clone(batch))
}

// requeue queues rs again in front of the backlog, their outcomes cleared.
func (w *writer) requeue(rs []*writeReq) {
	for _, r := range rs {
		r.results, r.errs, r.sets = nil, nil, nil
	}
	w.backlog = append(rs, w.backlog...)
}

// errStampFirst undoes a unit that changed the schema while other units'
// changes waited for the batch's stamp: they are stamped first, under the
// schema they were made with, and the unit runs again.
var errStampFirst = errors.New("stamp the waiting changes before this schema change")

// runOwnUnit runs one client transaction in a savepoint. Its row changes
// join the batch's change set (stampBatch); a schema change gets a set of
// its own at once, so that peers apply every set under its own schema, and
// so does every unit of a request that must be stamped alone (setsize.go).
func (w *writer) runOwnUnit(r *writeReq, i int, unit []Statement) error {
	before, joined := w.conn.TotalChanges(), false
	err := w.savepoint(func() error {
		res, err := w.runUnit(unit)
		if err != nil {
			return err
		}
		if w.pendingDDL == 0 && !r.alone {
			joined = w.conn.TotalChanges() != before
			r.results[i] = res
			return nil
		}
		if len(w.unstamped) > 0 {
			return errStampFirst
		}
		cs, err := w.stampChecked()
		if err != nil {
			return err
		}
		if cs != nil {
			r.sets = append(r.sets, cs)
		}
		r.results[i] = res
		return nil
	})
	if err == nil && joined && !slices.Contains(w.unstamped, r) {
		w.unstamped = append(w.unstamped, r)
	}
	return err
}

// stampBatch stamps the changes of the units run since the last stamp into
// one change set: one sequence number, log entry and version pass for the
// whole group commit rather than one per request.
func (w *writer) stampBatch() error {
	if len(w.unstamped) == 0 {
		return nil
	}
	cs, err := w.stampChecked()
	if errors.Is(err, ErrTransactionTooLarge) {
		return errSplitBatch
	}
	if err != nil {
		return err
	}
	if cs != nil {
		for _, r := range w.unstamped {
			r.sets = append(r.sets, cs)
		}
	}
	w.unstamped = w.unstamped[:0]
	return nil
}

// savepoint runs fn in a savepoint, rolling back its effects if it fails.
func (w *writer) savepoint(fn func() error) error {
	if err := execArgs(w.conn, "SAVEPOINT unit"); err != nil { // cached: parsed once
		return sqlError(err)
	}
	seq, pos, ver, cookie, vec, ddl, n := w.seq, w.pos, w.schemaVer, w.schemaCookie, w.vector.Clone(), w.pendingDDL, len(w.stamped)
	if err := fn(); err != nil {
		if !w.conn.InTx() {
			return err // the statement rolled back the whole transaction: the caller recovers
		}
		execArgs(w.conn, "ROLLBACK TO unit")
		execArgs(w.conn, "RELEASE unit")
		w.seq, w.pos, w.schemaVer, w.vector, w.pendingDDL, w.stamped = seq, pos, ver, vec, ddl, w.stamped[:n]
		if cookie != w.schemaCookie {
			w.schemaCookie = -1 // tables may describe rolled-back DDL
			if rerr := w.refreshSchema(true); rerr != nil {
				return errors.Join(err, rerr)
			}
		}
		return err
	}
	return sqlError(execArgs(w.conn, "RELEASE unit"))
}

// runUnit runs the statements of one client transaction.
func (w *writer) runUnit(unit []Statement) ([]Result, error) {
	results := make([]Result, len(unit))
	for i, st := range unit {
		out, err := w.run.run(st, false)
		if err != nil {
			if len(unit) > 1 {
				return nil, wrapStatement(i, err)
			}
			return nil, err
		}
		if len(out.ddl) > 0 {
			if err := w.afterDDL(out.ddl); err != nil {
				return nil, err
			}
		}
		results[i] = out.Result
	}
	return results, nil
}

// wrapStatement names the failing statement of a batch in the error message.
func wrapStatement(i int, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return &Error{Code: e.Code, Message: fmt.Sprintf("statement %d: %s", i+1, ErrorMessage(err)), Err: err}
	}
	return err
}

// finish answers every request of a batch; err, when set, fails them all.
func (w *writer) finish(batch []*writeReq, err error) {
	for _, r := range batch {
		if err != nil {
			r.results, r.sets = nil, nil
			r.errs = []error{err}
		}
		close(r.done)
	}
}

// published advances the database's vector after a commit.
func (w *writer) published() { w.db.advance(w.vector.Clone(), w.pos) }
