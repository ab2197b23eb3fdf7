package engine

import (
	"slices"
	"time"
)

// The group-commit window. Every batch costs the cluster about as much as
// several of its writes: a SQLite transaction on each node, a PREPARE and
// a COMMIT per peer, and the wake-ups they cause. When many clients write at
// once the writer starts a batch the moment the last one ends, and catches
// few of them: with 64 clients on three nodes, batches held about 8 writes.
// So when the last batch of the same kind (client writes, or change sets
// from peers) showed concurrent work (busyBatch or more requests), the
// writer keeps the next batch open for up to GroupCommitWindow after it has
// run the requests it began with, running more as they arrive, until the
// batch is twice the last one. A lone client, or a few, never wait: their
// batches stay below busyBatch.

// busyBatch is the size of a batch that shows concurrent writers, and so
// that holding the next batch open will gather more.
const busyBatch = 4

// batchKind tells the requests the window gathers apart.
type batchKind int

const (
	kindOther       batchKind = iota // interactive transactions, internal jobs: never held
	kindClientWrite                  // a client's write statements
	kindApply                        // a change set from a peer
	batchKinds
)

func (r *writeReq) kind() batchKind {
	switch {
	case r.tx != nil || r.fn != nil:
		return kindOther
	case r.apply != nil:
		return kindApply
	case r.units != nil:
		return kindClientWrite
	}
	return kindOther
}

// joins reports whether r would join a batch that begins with first.
func joins(first, r *writeReq) bool { return r.kind() == first.kind() && r.level == first.level }

// extend keeps a busy writer's batch open, its requests already run, for up
// to GroupCommitWindow: requests that arrive and may join it run in its
// transaction as they come, until it holds twice as many of its first's
// kind as the last such batch. Running them while waiting means the wait
// costs the writer nothing but the idle time. errTxLost names the last
// request of the returned batch.
func (w *writer) extend(batch []*writeReq) ([]*writeReq, error) {
	first := batch[0]
	window, k := w.db.cfg.GroupCommitWindow, first.kind()
	if window <= 0 || k == kindOther || w.lastBatch[k] < busyBatch || w.txQueued() {
		return batch, nil
	}
	target := min(2*w.lastBatch[k], w.db.cfg.MaxBatch)
	n := 0
	for _, r := range batch {
		if joins(first, r) {
			n++
		}
	}
	if n >= target {
		return batch, nil
	}
	if w.window == nil {
		w.window = time.NewTimer(window)
	} else {
		w.window.Reset(window)
	}
	defer w.window.Stop()
	for n < target && len(batch) < w.db.cfg.MaxBatch && !w.backlogFull() {
		select {
		case r := <-w.reqs:
			if r.tx != nil || r.level != first.level {
				w.backlog = append(w.backlog, r)
				if r.tx != nil {
					return batch, nil // a transaction waits for this batch: end it
				}
				continue
			}
			batch = append(batch, r)
			if joins(first, r) {
				n++
			}
			if err := w.runReq(r); err != nil {
				return batch, err
			}
		case <-w.window.C:
			return batch, nil
		case <-w.db.closing:
			return batch, nil
		}
	}
	return batch, nil
}

// txQueued reports whether an interactive transaction waits in the
// backlog: requests that arrive later must not overtake it.
func (w *writer) txQueued() bool {
	return slices.ContainsFunc(w.backlog, func(r *writeReq) bool { return r.tx != nil })
}

// countBatch remembers how many requests of its first's kind a batch
// holds, the measure of how busy the writer is with that kind.
func (w *writer) countBatch(batch []*writeReq) {
	k := batch[0].kind()
	if k == kindOther {
		return
	}
	n := 0
	for _, r := range batch {
		if r.kind() == k {
			n++
		}
	}
	w.lastBatch[k] = n
}
