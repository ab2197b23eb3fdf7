package engine

import (
	"errors"
	"fmt"
)

// Applying peers' change sets while peers stage a batch.
//
// A QUORUM or ALL batch keeps its write transaction open while its peers
// stage its sets: a round trip, or more on a busy machine. The writer used
// to wait idle for it while the sets that peers sent queued behind the
// batch, to be applied in a transaction of their own afterwards. Under a
// write load on every node that left the writer, the one serial resource of
// a database, waiting for acks a third of its time. Now it applies the
// queued remote sets in the batch's transaction meanwhile: they commit with
// the batch; if the batch fails, they roll back with it and run again, at
// the front of the queue, in the next transaction. Remote sets apply the
// same in any order (last-write-wins), so taking them ahead of the client
// writes queued beside them changes no outcome.

// replicateApplying runs the prepare phase like replicate and, while the
// peers stage, applies queued remote change sets in the same transaction.
// It returns the requests it applied, which the caller answers after the
// commit or queues again after a rollback.
func (w *writer) replicateApplying(level Consistency, sets []*ChangeSet) (prepared bool, joined []*writeReq, err error) {
	r, level, ok := w.prepareTarget(level, sets)
	if !ok {
		return false, nil, nil
	}
	if CarriesSchema(sets) {
		return true, nil, w.prepareSets(r, level, sets)
	}
	var prepErr error
	done := make(chan struct{})
	go func() {
		prepErr = w.prepareSets(r, level, sets)
		close(done)
	}()
	joined, joinErr := w.applyUntil(done)
	if <-done; prepErr != nil {
		return true, joined, prepErr
	}
	if joinErr == nil {
		joinErr = w.setMute(false)
	}
	if joinErr == nil && len(joined) > 0 {
		joinErr = w.beforeCommit() // the applied sets moved the vector and may free shadowed rows
	}
	if joinErr != nil {
		r.Aborted(w.db.name, sets)
		return true, joined, &Error{Code: CodeUnavailable, Err: joinErr,
			Message: "write rolled back: applying a peer's change set in its transaction failed; it happened nowhere; retry (" + ErrorMessage(joinErr) + ")"}
	}
	return true, joined, nil
}

// applyUntil applies queued remote change sets, those in the backlog
// first, until done is closed or MaxBatch sets have joined. An error means
// the transaction can no longer commit.
func (w *writer) applyUntil(done <-chan struct{}) (joined []*writeReq, err error) {
	for len(joined) < w.db.cfg.MaxBatch {
		r := w.takeApply()
		if r == nil {
			var ok bool
			if r, ok = w.awaitApply(done); !ok {
				return joined, nil
			}
		}
		if err := w.runReq(r); err != nil {
			if errors.Is(err, errTxLost) {
				close(r.done) // checkTx gave it the statement's error; the others run again
			} else {
				joined = append(joined, r)
			}
			return joined, fmt.Errorf("apply change set %s/%d: %w", r.apply.Origin, r.apply.Seq, err)
		}
		joined = append(joined, r)
		select {
		case <-done:
			return joined, nil
		default:
		}
	}
	return joined, nil
}

// joinsPrepare reports whether r may be applied in another batch's
// transaction: a plain remote change set, no schema change.
func joinsPrepare(r *writeReq) bool { return r.apply != nil && len(r.apply.Schema) == 0 }

// takeApply removes the oldest remote change set from the backlog.
func (w *writer) takeApply() *writeReq {
	for i, r := range w.backlog {
		if joinsPrepare(r) {
			w.backlog = append(w.backlog[:i], w.backlog[i+1:]...)
			return r
		}
	}
	return nil
}

// awaitApply waits for the next remote change set to arrive, queueing
// other requests in the backlog; it returns false once done is closed (or
// the backlog is full).
func (w *writer) awaitApply(done <-chan struct{}) (*writeReq, bool) {
	for !w.backlogFull() {
		select {
		case r := <-w.reqs:
			if joinsPrepare(r) {
				return r, true
			}
			w.backlog = append(w.backlog, r)
		case <-done:
			return nil, false
		}
	}
	return nil, false
}
