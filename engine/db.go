package engine

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/warren-db/warren/engine/internal/sqlite3"
	"github.com/warren-db/warren/engine/internal/sqlparse"
)

// DB is one database: a SQLite file with one writer goroutine that
// group-commits, and a pool of read-only connections.
type DB struct {
	name   string
	path   string
	cfg    *Config
	node   string
	clock  *Clock
	log    *slog.Logger
	parse  *sqlparse.Cache // shared by the engine's databases
	repl   func() Replicator
	slot   *atomic.Int64 // the engine's id slot
	writer *writer

	readers  chan *readConn
	nReader  int
	ckpt     *sqlite3.Conn // the checkpointer's (checkpoint.go)
	ckptWake chan struct{}
	ckptMu   sync.Mutex // one checkpoint at a time

	vecMu   sync.Mutex
	vec     Vector
	head    int64         // log position of the newest committed change set
	headNow atomic.Int64  // head, for readers that must not take vecMu
	vecWake chan struct{} // closed and replaced whenever vec or head advances

	closing chan struct{}
	wg      sync.WaitGroup
	once    sync.Once
}

// openDB opens (creating if needed) the database file at path.
func openDB(name, path string, e *Engine) (*DB, error) {
	cfg, log := &e.cfg, e.log
	db := &DB{name: name, path: path, cfg: cfg, node: e.id.NodeID, clock: e.clock, parse: e.parse, repl: e.replicator, slot: &e.slot,
		log: log.With("db", name), closing: make(chan struct{}), vecWake: make(chan struct{}), ckptWake: make(chan struct{}, 1)}
	w, err := openWriter(db)
	if err != nil {
		return nil, err
	}
	db.writer = w
	db.vec, db.head = w.vector.Clone(), w.pos
	db.headNow.Store(w.pos)
	db.readers = make(chan *readConn, cfg.ReadConns)
	for range cfg.ReadConns {
		c, err := db.openConn(sqlite3.OpenReadOnly)
		if err != nil {
			db.closeConns()
			w.conn.Close()
			return nil, err
		}
		db.readers <- &readConn{Conn: c, warm: -1}
		db.nReader++
	}
	if db.ckpt, err = db.openCheckpointer(); err != nil {
		db.closeConns()
		w.conn.Close()
		return nil, err
	}
	db.wg.Add(3)
	go w.loop()
	go db.watchExternal()
	go db.checkpointLoop(db.ckpt)
	return db, nil
}

// openConn opens one native connection with Warren's settings.
func (db *DB) openConn(flags int) (*sqlite3.Conn, error) {
	c, err := sqlite3.Open(db.path, flags)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", db.path, err)
	}
	c.SetBusyTimeout(int(db.cfg.BusyTimeout / time.Millisecond))
	if err := c.Exec("PRAGMA mmap_size = 268435456"); err != nil { // reads map pages instead of copying them
		c.Close()
		return nil, fmt.Errorf("configure %s: %w", db.path, err)
	}
	return c, nil
}

// close stops the writer and closes every connection.
func (db *DB) close() {
	db.once.Do(func() {
		close(db.closing)
		db.wg.Wait()
		db.ckpt.Close()
		db.writer.conn.Close()
		db.closeConns()
	})
}

func (db *DB) closeConns() {
	for db.nReader > 0 {
		c := <-db.readers
		c.cold()
		c.Close()
		db.nReader--
	}
}

// vector returns a copy of the applied vector.
func (db *DB) vector() Vector {
	db.vecMu.Lock()
	defer db.vecMu.Unlock()
	return db.vec.Clone()
}

// advance records newly committed change sets up to log position head and
// wakes bookmark waiters and change-feed readers.
func (db *DB) advance(v Vector, head int64) {
	db.vecMu.Lock()
	defer db.vecMu.Unlock()
	db.head = max(db.head, head)
	db.headNow.Store(db.head)
	for o, s := range v {
		db.vec[o] = max(db.vec[o], s)
	}
	close(db.vecWake)
	db.vecWake = make(chan struct{})
}

// awaitBookmark waits, for at most timeout, until this node has applied
// everything up to b ("" returns at once): a read, write or transaction
// that carries the bookmark of a write made on another node sees that write.
func (db *DB) awaitBookmark(ctx context.Context, b Bookmark, timeout time.Duration) error {
	if b == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return db.waitFor(ctx, b)
}

// waitFor blocks until the database has applied bookmark b.
func (db *DB) waitFor(ctx context.Context, b Bookmark) error {
	want, err := b.Vector()
	if err != nil {
		return err
	}
	for {
		db.vecMu.Lock()
		ok, wake := db.vec.Covers(want), db.vecWake
		db.vecMu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-wake:
		case <-ctx.Done():
			return Errorf(CodeTimeout, "timed out waiting for bookmark %s to be applied on this node", b)
		case <-db.closing:
			return ErrClosed
		}
	}
}
