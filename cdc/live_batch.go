package cdc

import (
	"context"
	"sort"

	"github.com/warren-db/warren/engine"
)

// liveBatch gathers the change sets a live query evaluates at once.
type liveBatch struct {
	end      int64    // the position of the last set read
	relevant bool     // a set changed a table the query reads
	last     Position // the last row change of such a table
	// keys are the changed keys of an incremental query's table, by
	// keyString, each with the position of its last change.
	keys map[string]*changedKey
}

// changedKey is one key a batch changed.
type changedKey struct {
	key []engine.Value
	pos Position
}

func newBatch(at int64) *liveBatch {
	return &liveBatch{end: at, keys: map[string]*changedKey{}}
}

// collect reads the change sets after b.end into b, until the log holds no
// more or b has maxBatchKeys keys (then full is true).
func (q *LiveQuery) collect(ctx context.Context, ev evaluator, b *liveBatch) (full bool, err error) {
	for {
		sets, err := q.feed.eng.ChangesAfter(ctx, q.db, b.end, pageSets)
		if err != nil {
			return false, err
		}
		if len(sets) == 0 {
			return false, nil
		}
		for _, cs := range sets {
			if err := b.add(cs, ev, q.plan.table); err != nil {
				return false, err
			}
			if len(b.keys) >= maxBatchKeys {
				return true, nil
			}
		}
	}
}

// add records the row changes of cs that matter; keyed is the table whose
// keys an incremental query tracks ("" for none).
func (b *liveBatch) add(cs *engine.ChangeSet, ev evaluator, keyed string) error {
	b.end = cs.Pos
	_, incremental := ev.(*incremental)
	for i, ch := range cs.Changes {
		if ch.Lost || !ev.watches(ch.Table) {
			continue
		}
		at := Position{Pos: cs.Pos, Index: i}
		b.relevant, b.last = true, at
		if !incremental || ch.Table != keyed {
			continue
		}
		key, err := decodeKey(ch.PK)
		if err != nil {
			return err
		}
		ks := keyString(key)
		if k, ok := b.keys[ks]; ok {
			k.pos = at
			continue
		}
		b.keys[ks] = &changedKey{key: key, pos: at}
	}
	return nil
}

// ordered returns the changed keys in the order of their last change.
func (b *liveBatch) ordered() []*changedKey {
	out := make([]*changedKey, 0, len(b.keys))
	for _, k := range b.keys {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].pos.before(out[j].pos) })
	return out
}
