package cdc

import (
	"context"
	"time"

	"github.com/warren-db/warren/engine"
)

// A live query is a SELECT whose result a client follows: the current rows,
// then an event for each row that enters, changes in or leaves the result
// as change sets arrive in the feed, whoever wrote them. The initial rows
// and the feed position come from one consistent view; from there the
// query follows the log, and after each batch of change sets that touch
// the tables it reads it evaluates again in a fresh view.
//
// A single-table SELECT with optional WHERE and ORDER BY is kept
// incrementally (live_incremental.go): only the keys a batch changed are
// read again. Everything else is re-run whole and diffed (live_rerun.go).

// DefaultLiveMaxRows bounds a live query's result when LiveOptions.MaxRows
// is 0.
const DefaultLiveMaxRows = 100000

// maxBatchKeys bounds the changed keys evaluated at once; a bigger batch is
// split, each part with the position it reached.
const maxBatchKeys = 4096

// freshTries bounds how often a batch is read again because the view saw
// change sets that arrived after it was read; then the view's extra sets
// wait for the next batch, which is correct but splits their transaction.
const freshTries = 3

// ErrLiveSchemaChanged ends a live query whose tables changed shape.
var ErrLiveSchemaChanged = engine.Errorf(engine.CodeGone, "the schema of the live query's table changed: start it again")

// LiveOptions tune a live query.
type LiveOptions struct {
	// MaxRows bounds the result: the initial rows, every re-run and the rows
	// an incremental query keeps (DefaultLiveMaxRows when 0). Going over
	// ends the query with a too_large error.
	MaxRows int
	// Timeout bounds each evaluation (0: none but the caller's context).
	Timeout time.Duration
}

// LiveQuery is a planned live query; Run runs it.
type LiveQuery struct {
	feed *Feed
	db   string
	st   engine.Statement
	opts LiveOptions
	plan livePlan
}

// Live plans st as a live query on db. It refuses statements other than a
// single read-only SELECT; SQL errors (an unknown table) come from Run
// before its first event.
func (f *Feed) Live(db string, st engine.Statement, o LiveOptions) (*LiveQuery, error) {
	plan, err := planLive(st.SQL)
	if err != nil {
		return nil, err
	}
	if o.MaxRows <= 0 {
		o.MaxRows = DefaultLiveMaxRows
	}
	return &LiveQuery{feed: f, db: db, st: st, opts: o, plan: plan}, nil
}

// evaluator keeps one live query's result.
type evaluator interface {
	// start reads the initial rows in v and emits columns and rows.
	start(v *engine.View, emit func(*LiveEvent) error) error
	// update evaluates b in v and emits the changes.
	update(v *engine.View, b *liveBatch, emit func(*LiveEvent) error) error
	// watches reports whether changes to table matter.
	watches(table string) bool
	// schemaChanged reports whether the query's tables changed shape.
	schemaChanged(ctx context.Context) (bool, error)
}

// Run emits the query's events to fn until ctx ends, fn fails, or the
// query cannot go on: its database closed (engine.ErrClosed), GC trimmed
// the log past it (engine.ErrLogTrimmed), its table changed shape
// (ErrLiveSchemaChanged), its result grew over MaxRows or it failed. An
// error before the first event is the query's own (bad SQL, no such table).
func (q *LiveQuery) Run(ctx context.Context, fn func(*LiveEvent) error) error {
	version := q.feed.eng.SchemaVersion(q.db)
	ev, err := q.evaluator(ctx)
	if err != nil {
		return err
	}
	var at int64
	var out eventList
	err = q.view(ctx, func(v *engine.View) error {
		at = v.Pos
		return ev.start(v, out.add)
	})
	if err != nil {
		return err
	}
	out.add(&LiveEvent{Kind: LiveReady, Pos: End(at)})
	if err := out.send(fn); err != nil {
		return err
	}
	for {
		if err := q.feed.eng.WaitChanges(ctx, q.db, at); err != nil {
			return err
		}
		if v := q.feed.eng.SchemaVersion(q.db); v != version {
			version = v
			changed, err := ev.schemaChanged(ctx)
			if err != nil {
				return err
			}
			if changed {
				return ErrLiveSchemaChanged
			}
		}
		if at, err = q.step(ctx, ev, at, fn); err != nil {
			return err
		}
	}
}

// evaluator picks how q is kept: incrementally when its plan allows and its
// source is a table (not a view), else by re-running it.
func (q *LiveQuery) evaluator(ctx context.Context) (evaluator, error) {
	tables, err := q.feed.eng.Tables(ctx, q.db)
	if err != nil {
		return nil, err
	}
	watch := q.plan.tables
	for name := range watch {
		if _, ok := tables[name]; !ok {
			watch = nil // a view, a table function, or no such table (the query will say)
			break
		}
	}
	if q.plan.incremental && watch != nil {
		return newIncremental(q, tables[q.plan.table]), nil
	}
	return &rerun{q: q, tables: watch}, nil
}

// step reads the change sets after at, evaluates them if they matter and
// returns the position reached.
func (q *LiveQuery) step(ctx context.Context, ev evaluator, at int64, emit func(*LiveEvent) error) (int64, error) {
	b := newBatch(at)
	for try := 1; ; try++ {
		full, err := q.collect(ctx, ev, b)
		if err != nil {
			return at, err
		}
		if !b.relevant {
			return b.end, nil
		}
		stale := false
		var out eventList
		err = q.view(ctx, func(v *engine.View) error {
			if v.Pos > b.end && !full && try < freshTries {
				stale = true // read the newer sets too, so one view covers the whole batch
				return nil
			}
			return ev.update(v, b, out.add)
		})
		if err == nil {
			err = out.send(emit) // outside the view: a slow client must not hold a read transaction
		}
		if err != nil {
			return at, err
		}
		if !stale {
			return b.end, nil
		}
	}
}

// view runs fn in a consistent view bounded by the query's limits.
func (q *LiveQuery) view(ctx context.Context, fn func(v *engine.View) error) error {
	if q.opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, q.opts.Timeout)
		defer cancel()
	}
	return q.feed.eng.ReadView(ctx, q.db, q.opts.MaxRows, fn)
}

// eventList holds the events of one evaluation until its view is closed.
type eventList []*LiveEvent

func (l *eventList) add(ev *LiveEvent) error {
	*l = append(*l, ev)
	return nil
}

// send passes the events to fn, in order.
func (l eventList) send(fn func(*LiveEvent) error) error {
	for _, ev := range l {
		if err := fn(ev); err != nil {
			return err
		}
	}
	return nil
}
