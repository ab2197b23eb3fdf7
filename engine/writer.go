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
	db     *DB
	conn   *sqlite3.Conn
	reqs   chan *writeReq
	tables map[string]*tableInfo
	run    runner

	schemaCookie int64        // PRAGMA schema_version when tables was loaded
	cookieSeen   atomic.Int64 // schemaCookie for other goroutines
	schemaVer    int64        // highest __warren_schema version
	pendingDDL   int          // schema entries not yet stamped into a change set
	seq          uint64       // this node's last sequence in this database
	pos          int64        // last local log position
	vector       Vector       // committed vector (writer's copy)
}

// writeReq is one request to the writer.
type writeReq struct {
	ctx   context.Context
	units [][]Statement // each unit commits or fails alone (one unit when atomic)
	tx    *Tx           // set: run an interactive transaction
	apply *ChangeSet    // set: apply a remote change set
	fn    func() error  // set: run an internal job inside the batch
	done  chan struct{}

	results [][]Result // per unit
	errs    []error    // per unit
	sets    []*ChangeSet
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
	if err := w.conn.Exec("BEGIN IMMEDIATE; " + internalSchema); err != nil {
		return fmt.Errorf("create internal tables: %w", err)
	}
	err := w.refreshSchema(true)
	if err == nil {
		err = w.loadState()
	}
	if err == nil {
		_, err = w.stamp()
	}
	if err != nil {
		w.conn.Exec("ROLLBACK")
		return err
	}
	return w.conn.Exec("COMMIT")
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
	if w.pos, err = queryInt(w.conn, "SELECT coalesce(max(pos), 0) FROM __warren_log"); err != nil {
		return fmt.Errorf("read log position: %w", err)
	}
	w.schemaVer, err = queryInt(w.conn, "SELECT coalesce(max(version), 0) FROM __warren_schema")
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
	if err := syncTriggers(w.conn, tables); err != nil {
		return err
	}
	w.tables = tables
	w.schemaCookie, err = queryInt(w.conn, "PRAGMA schema_version")
	w.cookieSeen.Store(w.schemaCookie)
	return err
}

// loop serves requests until the database closes.
func (w *writer) loop() {
	defer w.db.wg.Done()
	var next *writeReq
	for {
		req := next
		next = nil
		if req == nil {
			select {
			case req = <-w.reqs:
			case <-w.db.closing:
				w.failQueued()
				return
			}
		}
		if req.tx != nil {
			w.runTx(req)
			continue
		}
		batch := []*writeReq{req}
	drain:
		for len(batch) < w.db.cfg.MaxBatch {
			select {
			case r := <-w.reqs:
				if r.tx != nil {
					next = r
					break drain
				}
				batch = append(batch, r)
			default:
				break drain
			}
		}
		w.runBatch(batch)
	}
}

// failQueued answers every queued request with ErrClosed.
func (w *writer) failQueued() {
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
	r.ctx, r.done = ctx, make(chan struct{})
	select {
	case w.reqs <- r:
	case <-ctx.Done():
		return Errorf(CodeTimeout, "timed out waiting for the writer")
	case <-w.db.closing:
		return ErrClosed
	}
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
