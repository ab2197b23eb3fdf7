package engine

import (
	"context"
	"time"
)

// Replicator carries this node's change sets to its peers. The replication
// package implements it; cmd wires it with Engine.SetReplicator. Without
// one, every consistency level is met by the local commit.
type Replicator interface {
	// Prepare has peers stage sets durably (without applying them) and
	// returns nil once consistency level c is met; otherwise an error, and the
	// engine rolls the batch back. It runs on the database's writer goroutine
	// with the batch's transaction open, so it must honour ctx.
	Prepare(ctx context.Context, db string, sets []*ChangeSet, c Consistency) error
	// Committed reports sets committed locally: after a successful Prepare
	// (prepared = true: tell peers to commit) or without one (push them).
	// It must not block. For prepared sets that change the schema it returns
	// a channel closed once every reachable peer has answered the COMMIT, and
	// the engine holds the client's answer until then (for at most the
	// prepare timeout): a client that goes on to another node finds the new
	// schema there. Otherwise it returns nil.
	Committed(db string, sets []*ChangeSet, prepared bool) (applied <-chan struct{})
	// Aborted reports prepared sets that were rolled back. It must not block.
	Aborted(db string, sets []*ChangeSet)
	// LockSchema takes the cluster-wide schema lease of db before this node
	// runs DDL; the engine calls release when the transaction has ended.
	LockSchema(ctx context.Context, db string) (release func(), err error)
	// CatchUp returns once this node has applied what a majority of voters
	// have applied of db (the first step of a QUORUM read).
	CatchUp(ctx context.Context, db string) error
	// Announce tells the reachable peers about databases created or dropped
	// and registry records written on this node, and returns once they
	// answered or ctx ended.
	Announce(ctx context.Context, catalog map[string]CatalogRecord, registry map[string]map[string]RegistryRecord)
}

// SetReplicator installs the replicator; nil removes it.
func (e *Engine) SetReplicator(r Replicator) {
	e.repl.Store(&replicatorBox{r})
}

type replicatorBox struct{ r Replicator }

func (e *Engine) replicator() Replicator {
	if b := e.repl.Load(); b != nil {
		return b.r
	}
	return nil
}

// level resolves the default consistency.
func (cfg *Config) level(c Consistency) Consistency {
	if c == ConsistencyDefault {
		return cfg.DefaultConsistency
	}
	return c
}

// replicate runs the prepare phase for a batch's change sets when its level
// needs peers. It reports whether sets were prepared.
func (w *writer) replicate(level Consistency, sets []*ChangeSet) (bool, error) {
	r := w.db.repl()
	if level == ConsistencyOne && CarriesSchema(sets) {
		level = ConsistencyQuorum // DDL reaches a majority before its lease is released
	}
	if r == nil || len(sets) == 0 || level == ConsistencyOne {
		return false, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), w.db.cfg.PrepareTimeout)
	defer cancel()
	start := time.Now()
	if err := r.Prepare(ctx, w.db.name, sets, level); err != nil {
		r.Aborted(w.db.name, sets)
		w.db.log.Warn("write not replicated; rolled back", "level", level, "sets", len(sets), "after", time.Since(start), "err", err)
		return true, &Error{Code: CodeUnavailable, Err: err,
			Message: "write did not reach its consistency level and was rolled back: it happened nowhere; retry (" + ErrorMessage(err) + ")"}
	}
	return true, nil
}

// CarriesSchema reports whether any of sets changes the schema.
func CarriesSchema(sets []*ChangeSet) bool {
	for _, cs := range sets {
		if len(cs.Schema) > 0 {
			return true
		}
	}
	return false
}

// lockSchema takes the schema lease once per transaction before DDL runs.
func (w *writer) lockSchema() error {
	r := w.db.repl()
	if r == nil || w.schemaRelease != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), w.db.cfg.PrepareTimeout)
	defer cancel()
	release, err := r.LockSchema(ctx, w.db.name)
	if err != nil {
		return err
	}
	w.schemaRelease = release
	return nil
}

// unlockSchema releases a lease taken during the transaction that just ended.
func (w *writer) unlockSchema() {
	if w.schemaRelease != nil {
		w.schemaRelease()
		w.schemaRelease = nil
	}
}

// committed tells the replicator about committed sets. It returns what the
// clients wait for before their answer (see Replicator.Committed).
func (w *writer) committed(sets []*ChangeSet, prepared bool) <-chan struct{} {
	if r := w.db.repl(); r != nil && len(sets) > 0 {
		return r.Committed(w.db.name, sets, prepared)
	}
	return nil
}

// awaitPeers holds a client's answer until the channel from Committed
// closes, ctx ends or the prepare timeout passes (a peer that just crashed
// stalls its queue until gossip notices). The write stands either way.
func (db *DB) awaitPeers(ctx context.Context, applied <-chan struct{}) {
	if applied == nil {
		return
	}
	t := time.NewTimer(db.cfg.PrepareTimeout)
	defer t.Stop()
	select {
	case <-applied:
	case <-ctx.Done():
	case <-t.C:
		db.log.Warn("schema change answered before every peer confirmed it", "after", db.cfg.PrepareTimeout)
	}
}
