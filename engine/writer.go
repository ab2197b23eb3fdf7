package engine

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/warren-db/warren/engine/internal/sqlite3"
)

// writer owns a database's only write connection. One goroutine runs it:
// queued requests are group-committed, each client transaction in its own
// SAVEPOINT so that one failure does not sink the others.
type writer struct {
	db      *DB
	conn    *sqlite3.Conn
	reqs    chan *writeReq
	backlog []*writeReq // taken from reqs, waiting for a batch of their level
	tables  map[string]*tableInfo
	upserts map[*tableInfo]string // apply's upsert of a whole row, per table (upsert)
	run     runner

	schemaCookie  int64           // PRAGMA schema_version when tables was loaded
	cookieSeen    atomic.Int64    // schemaCookie for other goroutines
	schemaVerSeen atomic.Int64    // schemaVer as of the last refresh, for other goroutines
	schemaVer     int64           // highest __warren_schema version
	pendingDDL    int             // schema entries not yet stamped into a change set
	stamped       []*ChangeSet    // this node's sets stamped in the open transaction
	unstamped     []*writeReq     // requests whose changes wait for the batch's stamp (stampBatch)
	txLevel       Consistency     // consistency of the interactive transaction being served
	mute          bool            // the open transaction holds the capture mute outside any savepoint (setMute)
	userTriggers  bool            // the database has triggers besides capture's (quietTriggers)
	triggersOff   bool            // every trigger is switched off on conn (quietTriggers)
	schemaRelease func()          // releases the schema lease taken in this transaction
	seq           uint64          // this node's last sequence in this database
	pos           int64           // last local log position
	vector        Vector          // vector including the open transaction (writer's copy)
	flushed       Vector          // vector as stored by the last commit
	early         Vector          // per origin, the highest sequence in the log past a gap (advanceVector)
	lastBatch     [batchKinds]int // per batchKind, the size of the last batch that began with one (window.go)
	window        *time.Timer     // the group-commit window's timer, reused (window.go)
}

// writeReq is one request to the writer.
type writeReq struct {
	ctx   context.Context
	level Consistency   // resolved consistency; batches hold one level
	units [][]Statement // each unit commits or fails alone (one unit when atomic)
	tx    *Tx           // set: run an interactive transaction
	apply *ChangeSet    // set: apply a remote change set
	fn    func() error  // set: run an internal job inside the batch
	alone bool          // stamp each unit into a change set of its own (setsize.go)
	done  chan struct{}

	results [][]Result // per unit
	errs    []error    // per unit
	sets    []*ChangeSet
	applied <-chan struct{} // see Replicator.Committed
}

func openWriter(db *DB) (*writer, error) {
	c, err := db.openConn(sqlite3.OpenReadWrite | sqlite3.OpenCreate)
	if err != nil {
		return nil, err
	}
	w := &writer{db: db, conn: c, reqs: make(chan *writeReq, 1024)}
	w.run = runner{conn: c, prep: w.prepare, maxRows: db.cfg.MaxRows}
	if err := w.init(); err != nil {
		c.Close()
		return nil, fmt.Errorf("initialize %s: %w", db.path, err)
	}
	return w, nil
}

// init sets the connection up and loads the writer's state.
func (w *writer) init() error {
	sync := "NORMAL"
	if w.db.cfg.Synchronous == "full" {
		sync = "FULL"
	}
	setup := "PRAGMA journal_mode=WAL; PRAGMA synchronous=" + sync + "; PRAGMA recursive_triggers=ON;"
	if err := w.conn.Exec(setup); err != nil {
		return fmt.Errorf("configure connection: %w", err)
	}
	w.conn.CountWALFrames() // its commits never checkpoint: checkpoint.go does
	if err := w.conn.Exec("BEGIN IMMEDIATE; " + internalSchema); err != nil {
		return fmt.Errorf("create internal tables: %w", err)
	}
	err := migrateInternal(w.conn)
	if err == nil {
		err = w.refreshSchema(true)
	}
	if err == nil {
		err = w.loadState()
	}
	if err == nil {
		_, err = w.stamp()
	}
	if err == nil {
		err = w.beforeCommit()
	}
	if err != nil {
		w.conn.Exec("ROLLBACK")
		return err
	}
	if err := w.conn.Exec("COMMIT"); err != nil {
		return err
	}
	w.afterCommit()
	return nil
}

// loadState reads sequence, log position and vector from the file.
func (w *writer) loadState() error {
	rows, err := queryAll(w.conn, "SELECT origin, seq FROM __warren_vector")
	if err != nil {
		return fmt.Errorf("read vector: %w", err)
	}
	w.vector = Vector{}
	for _, r := range rows {
		w.vector[r[0].(string)] = uint64(r[1].(int64))
	}
	w.seq = w.vector[w.db.node]
	w.flushed = w.vector.Clone()
	if w.early, err = w.readEarly(); err != nil {
		return err
	}
	if w.pos, err = queryInt(w.conn, "SELECT coalesce(max(pos), 0) FROM __warren_log"); err != nil {
		return fmt.Errorf("read log position: %w", err)
	}
	w.schemaVer, err = queryInt(w.conn, "SELECT coalesce(max(version), 0) FROM __warren_schema")
	w.schemaVerSeen.Store(w.schemaVer)
	return err
}

// refreshSchema reloads table metadata and capture triggers when the schema
// changed (by our DDL or another process's). It runs inside a transaction.
func (w *writer) refreshSchema(force bool) error {
	cookie, err := queryInt(w.conn, "PRAGMA schema_version")
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if !force && cookie == w.schemaCookie {
		return nil
	}
	tables, err := loadTables(w.conn)
	if err != nil {
		return err
	}
	n, err := queryInt(w.conn, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND substr(name, 1, ?) <> ?",
		len(triggerPrefix), triggerPrefix)
	if err != nil {
		return fmt.Errorf("count triggers: %w", err)
	}
	w.userTriggers = n > 0
	if err := syncTriggers(w.conn, tables); err != nil {
		return err
	}
	w.tables, w.upserts = tables, map[*tableInfo]string{}
	w.schemaCookie, err = queryInt(w.conn, "PRAGMA schema_version")
	w.cookieSeen.Store(w.schemaCookie)
	w.schemaVerSeen.Store(w.schemaVer)
	return err
}

// loop serves requests until the database closes.
func (w *writer) loop() {
	defer w.db.wg.Done()
	for {
		req := w.next()
		if req == nil {
			w.failQueued()
			return
		}
		if req.tx != nil {
			w.runTx(req)
			continue
		}
		w.runBatch(w.gather(req))
	}
}

// next returns the oldest waiting request, or nil when the database closes.
func (w *writer) next() *writeReq {
	if len(w.backlog) > 0 {
		r := w.backlog[0]
		w.backlog = w.backlog[1:]
		return r
	}
	select {
	case r := <-w.reqs:
		return r
	case <-w.db.closing:
		return nil
	}
}

// backlogFull reports whether the writer holds as many requests taken from
// the queue as it may (four batches' worth); the rest wait in the channel.
func (w *writer) backlogFull() bool { return len(w.backlog) >= 4*w.db.cfg.MaxBatch }

// gather builds a batch: first plus the waiting requests of the same
// consistency level (a batch is prepared with peers as a whole), in order.
// Others wait in the backlog for the next batch.
func (w *writer) gather(first *writeReq) []*writeReq {
	for !w.backlogFull() {
		select {
		case r := <-w.reqs:
			w.backlog = append(w.backlog, r)
			continue
		default:
		}
		break
	}
	w.hold(first)
	batch := []*writeReq{first}
	rest := w.backlog[:0]
	for i, r := range w.backlog {
		if r.tx != nil {
			rest = append(rest, w.backlog[i:]...) // a transaction waits its turn
			break
		}
		if len(batch) < w.db.cfg.MaxBatch && r.level == first.level {
			batch = append(batch, r)
		} else {
			rest = append(rest, r)
		}
	}
	w.backlog = rest
	w.countBatch(batch)
	return batch
}

// failQueued answers every queued request with ErrClosed.
func (w *writer) failQueued() {
	for _, r := range w.backlog {
		r.fail(ErrClosed)
	}
	w.backlog = nil
	for {
		select {
		case r := <-w.reqs:
			r.fail(ErrClosed)
		default:
			return
		}
	}
}

func (r *writeReq) fail(err error) {
	if r.tx != nil {
		r.tx.startErr = err
	}
	r.errs = []error{err}
	close(r.done)
}

// submit queues a request and waits for its answer.
func (w *writer) submit(ctx context.Context, r *writeReq) error {
	if err := w.enqueue(ctx, r); err != nil {
		return err
	}
	return w.wait(r)
}

// submitAll queues every request before waiting for any, so that the writer
// can commit them together. It returns the first error of queueing or
// waiting; the requests' own outcomes are in their errs.
func (w *writer) submitAll(ctx context.Context, rs []*writeReq) error {
	queued := 0
	var err error
	for _, r := range rs {
		if err = w.enqueue(ctx, r); err != nil {
			break
		}
		queued++
	}
	for _, r := range rs[:queued] {
		if werr := w.wait(r); werr != nil && err == nil {
			err = werr
		}
	}
	return err
}

// enqueue hands a request to the writer goroutine.
func (w *writer) enqueue(ctx context.Context, r *writeReq) error {
	r.ctx, r.done = ctx, make(chan struct{})
	select {
	case w.reqs <- r:
		return nil
	case <-ctx.Done():
		return Errorf(CodeTimeout, "timed out waiting for the writer")
	case <-w.db.closing:
		return ErrClosed
	}
}

// wait waits for a queued request's answer.
func (w *writer) wait(r *writeReq) error {
	select {
	case <-r.done:
		return nil
	case <-w.db.closing:
		select {
		case <-r.done:
			return nil
		case <-time.After(time.Second):
			return ErrClosed
		}
	}
}
