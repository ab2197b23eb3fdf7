package cdc

import (
	"context"
	"sync"

	"github.com/warren-db/warren/engine"
)

// Feed reads a node's change events from its engine.
type Feed struct {
	eng  *engine.Engine
	opts Options

	mu     sync.Mutex
	tables map[string]tableCache // per database
}

type tableCache struct {
	version int64
	tables  map[string]Table
}

// NewFeed returns a feed over e's databases whose events render with o.
func NewFeed(e *engine.Engine, o Options) *Feed {
	return &Feed{eng: e, opts: o, tables: map[string]tableCache{}}
}

// Options returns the envelope options of the feed's events.
func (f *Feed) Options() *Options { return &f.opts }

// Engine returns the engine the feed reads.
func (f *Feed) Engine() *engine.Engine { return f.eng }

// Filter selects events. Zero values select everything.
type Filter struct {
	Tables map[string]bool // only these tables
	Ops    map[string]bool // only these ops ("c", "u", "d", "r")
	Origin string          // only changes made by this node
}

func (flt *Filter) table(name string) bool { return flt.Tables == nil || flt.Tables[name] }
func (flt *Filter) op(op string) bool      { return flt.Ops == nil || flt.Ops[op] }

// pageSets bounds the change sets read from the log at once.
const pageSets = 256

// Follow calls fn for each event of db after position from, in feed order,
// and waits for new ones, until ctx ends, fn fails, or the database closes
// (engine.ErrClosed). Resuming from an event's position gives every later
// event exactly once; a position GC already trimmed fails with
// engine.ErrLogTrimmed.
func (f *Feed) Follow(ctx context.Context, db string, from Position, flt Filter, fn func(*Event) error) error {
	for {
		next, err := f.Catch(ctx, db, from, flt, fn)
		if err != nil {
			return err
		}
		from = next
		if err := f.eng.WaitChanges(ctx, db, from.Pos); err != nil {
			return err
		}
	}
}

// Catch calls fn for each event of db after from that the log holds now and
// returns the position it reached (the end of the last set it read).
func (f *Feed) Catch(ctx context.Context, db string, from Position, flt Filter, fn func(*Event) error) (Position, error) {
	for {
		start := from.Pos
		if from.Index != lastIndex {
			start-- // the set at from.Pos still has events to give
		}
		sets, err := f.eng.ChangesAfter(ctx, db, start, pageSets)
		if err != nil {
			return from, err
		}
		if len(sets) == 0 {
			return from, nil
		}
		for _, cs := range sets {
			if err := f.emitSet(ctx, db, cs, from, flt, fn); err != nil {
				return from, err
			}
			from = End(cs.Pos)
		}
		if err := ctx.Err(); err != nil {
			return from, err
		}
	}
}

// emitSet calls fn for the events of one change set that come after from.
func (f *Feed) emitSet(ctx context.Context, db string, cs *engine.ChangeSet, from Position, flt Filter, fn func(*Event) error) error {
	if flt.Origin != "" && cs.Origin != flt.Origin {
		return nil
	}
	for i, ch := range cs.Changes {
		at := Position{Pos: cs.Pos, Index: i}
		if ch.Lost || !from.before(at) || !flt.table(ch.Table) || !flt.op(ch.Op) {
			continue
		}
		ev, err := f.event(ctx, db, cs, i)
		if err != nil {
			return err
		}
		if err := fn(ev); err != nil {
			return err
		}
	}
	return nil
}

// event renders row change i of cs.
func (f *Feed) event(ctx context.Context, db string, cs *engine.ChangeSet, i int) (*Event, error) {
	ch := cs.Changes[i]
	table, err := f.Table(ctx, db, ch.Table)
	if err != nil {
		return nil, err
	}
	ev := &Event{DB: db, Table: ch.Table, Op: ch.Op, Origin: cs.Origin, Seq: cs.Seq, HLC: cs.HLC,
		Index: i, Total: len(cs.Changes), Pos: Position{Pos: cs.Pos, Index: i}}
	if ev.Key, err = keyObject(ch.PK, table.Key); err != nil {
		return nil, err
	}
	if ev.Before, err = renderRow(ch.Before); err != nil {
		return nil, err
	}
	if ev.After, err = renderRow(ch.After); err != nil {
		return nil, err
	}
	return ev, nil
}

// Table describes a table of db as it is now; a table that no longer
// exists gives a zero Table (events then describe themselves).
func (f *Feed) Table(ctx context.Context, db, name string) (Table, error) {
	version := f.eng.SchemaVersion(db)
	f.mu.Lock()
	c, ok := f.tables[db]
	f.mu.Unlock()
	if ok && c.version == version {
		if t, found := c.tables[name]; found {
			return t, nil
		}
	}
	tables, err := f.eng.Tables(ctx, db)
	if err != nil {
		return Table{}, err
	}
	if _, found := tables[name]; !found {
		tables[name] = Table{Name: name} // gone: do not look again until the schema changes
	}
	f.mu.Lock()
	f.tables[db] = tableCache{version: version, tables: tables}
	f.mu.Unlock()
	return tables[name], nil
}
