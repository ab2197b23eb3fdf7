package cdc

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/warren-db/warren/engine"
)

// PublisherConfig configures a Publisher. Zero values take the documented
// defaults.
type PublisherConfig struct {
	// Name names the publisher: its hold on every database's log
	// (engine.HoldLog) and its log lines, e.g. "nats". Required.
	Name string
	// CursorPath is the file keeping the cursors across restarts, e.g.
	// <data_dir>/cdc/nats-cursor.json. Required.
	CursorPath string
	// Databases selects the databases to publish; empty: all, including
	// those created later.
	Databases []string
	// Tables selects tables: "t" is table t of any database, "db.t" table t
	// of db only; empty: all.
	Tables []string
	// AllOrigins publishes every change the node holds. By default only the
	// changes this node originated are published (Filter.Origin), so that
	// each change is published once per cluster when every node publishes.
	AllOrigins bool
	// FromBeginning makes a database that has no cursor at Start publish
	// what its log still holds; by default it starts at the log head.
	// Databases created while the publisher runs always start at the
	// beginning of their log.
	FromBeginning bool
	// BatchSize bounds the events handed to Sink.Publish at once (256).
	BatchSize int
	// PollInterval is how often the publisher looks for created and dropped
	// databases (1s).
	PollInterval time.Duration
	// MinBackoff and MaxBackoff bound the wait between retries of a failed
	// publish (100ms, 5s); the wait doubles, with jitter, up to MaxBackoff.
	MinBackoff, MaxBackoff time.Duration
	// ShutdownGrace is how long Close lets publishes in flight wait for
	// their acknowledgements (2s).
	ShutdownGrace time.Duration
	// Logger defaults to slog.Default() with component=cdc.
	Logger *slog.Logger
}

// Publisher follows the change feed of every selected database and hands
// the events to a Sink, in feed order per database, retrying failures with
// backoff forever. Per database it keeps a cursor, the last event the sink
// acknowledged, saved to CursorPath, and holds the log from GC past the
// saved cursor, so that no change is lost while the broker is down or the
// node restarts: delivery is at least once, and the sink deduplicates on
// Message.ID.
type Publisher struct {
	feed *Feed
	eng  *engine.Engine
	sink Sink
	cfg  PublisherConfig
	log  *slog.Logger

	stop, pub             context.Context // loops; sink calls (outlive stop by ShutdownGrace)
	cancelStop, cancelPub context.CancelFunc
	wg                    sync.WaitGroup
	dirty                 chan struct{} // cursors changed since the last save

	mu       sync.Mutex
	loops    map[string]*pubLoop // by database
	cursors  map[string]Position // acknowledged, by database
	saved    map[string]Position // as in the cursor file
	failing  int                 // loops in an outage
	downFrom time.Time           // when the current outage began
	closed   bool
}

// pubLoop is the publication of one database.
type pubLoop struct {
	db        string
	cancel    context.CancelFunc
	done      chan struct{}
	published atomic.Uint64
	failing   atomic.Bool
}

// NewPublisher returns a publisher of feed's events to sink. It owns sink:
// Close closes it.
func NewPublisher(feed *Feed, sink Sink, cfg PublisherConfig) *Publisher {
	cfg.BatchSize = orPositive(cfg.BatchSize, 256)
	cfg.PollInterval = orPositive(cfg.PollInterval, time.Second)
	cfg.MinBackoff = orPositive(cfg.MinBackoff, 100*time.Millisecond)
	cfg.MaxBackoff = max(orPositive(cfg.MaxBackoff, 5*time.Second), cfg.MinBackoff)
	cfg.ShutdownGrace = orPositive(cfg.ShutdownGrace, 2*time.Second)
	log := cfg.Logger
	if log == nil {
		log = slog.Default().With("component", "cdc")
	}
	p := &Publisher{feed: feed, eng: feed.Engine(), sink: sink, cfg: cfg, log: log.With("sink", cfg.Name),
		dirty: make(chan struct{}, 1), loops: map[string]*pubLoop{}, saved: map[string]Position{}}
	p.stop, p.cancelStop = context.WithCancel(context.Background())
	p.pub, p.cancelPub = context.WithCancel(context.Background())
	return p
}

func orPositive[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// Start loads the cursors, holds every selected database's log at its
// cursor and starts publishing in the background. A database without a
// cursor starts at its log head (or its beginning with FromBeginning).
func (p *Publisher) Start() error {
	if p.cfg.Name == "" || p.cfg.CursorPath == "" {
		return errors.New("start publisher: Name and CursorPath are required")
	}
	cursors, err := loadCursors(p.cfg.CursorPath)
	if err != nil {
		return fmt.Errorf("start publisher: %w", err)
	}
	p.mu.Lock()
	p.cursors = cursors
	for db, pos := range cursors {
		p.saved[db] = pos
		p.eng.HoldLog(db, p.cfg.Name, heldPos(pos))
	}
	p.mu.Unlock()
	p.sync(true)
	p.wg.Add(2)
	go p.supervise()
	go p.saveLoop()
	return nil
}

// Close stops publishing: reading stops at once, publishes in flight get
// ShutdownGrace to be acknowledged, the cursors are saved, and the sink
// closes. The holds on the logs stay until the engine closes.
func (p *Publisher) Close() error {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.cancelStop()
	grace := time.AfterFunc(p.cfg.ShutdownGrace, p.cancelPub)
	p.wg.Wait()
	grace.Stop()
	p.cancelPub()
	return errors.Join(p.save(), p.sink.Close())
}

// supervise starts the loops of created databases and stops those of
// dropped ones until the publisher stops.
func (p *Publisher) supervise() {
	defer p.wg.Done()
	t := time.NewTicker(p.cfg.PollInterval)
	defer t.Stop()
	for {
		select {
		case <-p.stop.Done():
			return
		case <-t.C:
			p.sync(false)
		}
	}
}

// sync matches the loops to the selected databases. At start a database
// without a cursor begins at its head unless FromBeginning; found later,
// it is new and begins at the start of its log.
func (p *Publisher) sync(initial bool) {
	listed := map[string]bool{}
	for _, info := range p.eng.Databases() {
		if len(p.cfg.Databases) == 0 || slices.Contains(p.cfg.Databases, info.Name) {
			listed[info.Name] = true
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	for db, l := range p.loops {
		if !listed[db] {
			l.cancel()
			delete(p.loops, db)
		}
	}
	for db := range p.cursors {
		if !listed[db] { // dropped (or no longer selected): forget it
			delete(p.cursors, db)
			p.eng.ReleaseLog(db, p.cfg.Name)
			p.markDirty()
		}
	}
	for db := range listed {
		if l := p.loops[db]; l != nil && !chanClosed(l.done) {
			continue
		}
		if _, ok := p.cursors[db]; !ok {
			p.cursors[db] = p.startPos(db, initial)
			p.eng.HoldLog(db, p.cfg.Name, heldPos(p.cursors[db]))
			p.markDirty()
		}
		p.startLoop(db)
	}
}

// startPos is where a database without a cursor starts.
func (p *Publisher) startPos(db string, initial bool) Position {
	if initial && !p.cfg.FromBeginning {
		if head, err := p.eng.LogHead(db); err == nil {
			return End(head)
		}
	}
	return End(0)
}

// startLoop starts publishing db; the caller holds p.mu.
func (p *Publisher) startLoop(db string) {
	ctx, cancel := context.WithCancel(p.stop)
	l := &pubLoop{db: db, cancel: cancel, done: make(chan struct{})}
	if old := p.loops[db]; old != nil {
		l.published.Store(old.published.Load())
	}
	p.loops[db] = l
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		defer close(l.done)
		p.run(ctx, l)
	}()
}

func chanClosed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// heldPos is the last log position a cursor no longer needs: the log must
// keep every change set after it.
func heldPos(c Position) int64 {
	if c.Index == lastIndex {
		return c.Pos
	}
	return c.Pos - 1 // the set at c.Pos has events still to publish
}
