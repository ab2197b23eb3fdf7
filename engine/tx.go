package engine

import (
	"context"
	"sync"
	"time"

	"github.com/warren-db/warren/engine/internal/sqlite3"
)

// Tx is an interactive transaction. A read-write Tx holds the database's
// writer from Begin until Commit, Rollback, or Config.TxIdleTimeout of
// inactivity; other writes queue meanwhile. A read-only Tx reads one snapshot
// on a pooled read connection and blocks nobody.
type Tx struct {
	db       *DB
	readOnly bool
	level    Consistency

	// read-write: the writer goroutine serves ops.
	ops      chan *txOp
	started  chan struct{}
	done     chan struct{}
	startErr error
	endErr   error

	// read-only: ops run here under mu.
	mu    sync.Mutex
	conn  *sqlite3.Conn
	rconn *readConn // a read-only transaction's pooled connection (conn is its SQLite connection)
	timer *time.Timer
	run   runner
}

type txOpKind int

const (
	opQuery txOpKind = iota
	opExec
	opCommit
	opRollback
)

type txOp struct {
	kind     txOpKind
	st       Statement
	res      Result
	bookmark Bookmark
	err      error
	applied  <-chan struct{} // see Replicator.Committed
	done     chan struct{}
}

var (
	errTxIdle       = &Error{Code: CodeTxNotFound, Message: "transaction was rolled back after being idle too long"}
	errTxRolledBack = &Error{Code: CodeTxNotFound, Message: "transaction was rolled back by a statement's ROLLBACK conflict resolution"}
)

// begin starts an interactive transaction on db.
func (db *DB) begin(ctx context.Context, o TxOptions) (*Tx, error) {
	if err := db.awaitBookmark(ctx, o.Bookmark, db.cfg.QueryTimeout); err != nil {
		return nil, err
	}
	tx := &Tx{db: db, readOnly: o.ReadOnly, level: db.cfg.level(o.Consistency), done: make(chan struct{})}
	if o.ReadOnly {
		return tx, tx.beginRead(ctx)
	}
	tx.ops, tx.started = make(chan *txOp), make(chan struct{})
	r := &writeReq{ctx: ctx, tx: tx, done: make(chan struct{})}
	select {
	case db.writer.reqs <- r:
	case <-ctx.Done():
		return nil, Errorf(CodeTimeout, "timed out waiting for the writer")
	case <-db.closing:
		return nil, ErrClosed
	}
	select {
	case <-tx.started:
	case <-r.done:
	}
	if tx.startErr != nil {
		return nil, tx.startErr
	}
	return tx, nil
}

// Query runs a read inside the transaction; it sees the transaction's writes.
func (tx *Tx) Query(ctx context.Context, st Statement) (*Rows, error) {
	res, _, err := tx.do(ctx, opQuery, st)
	return res.Rows, err
}

// Exec runs a statement inside the transaction. A failing statement leaves
// the transaction open and the earlier statements in place.
func (tx *Tx) Exec(ctx context.Context, st Statement) (Result, error) {
	res, _, err := tx.do(ctx, opExec, st)
	return res, err
}

// Commit commits the transaction and returns its bookmark.
func (tx *Tx) Commit(ctx context.Context) (Bookmark, error) {
	_, b, err := tx.do(ctx, opCommit, Statement{})
	return b, err
}

// Rollback abandons the transaction. Rolling back a finished one returns ErrTxDone.
func (tx *Tx) Rollback() error {
	_, _, err := tx.do(context.Background(), opRollback, Statement{})
	return err
}

func (tx *Tx) do(ctx context.Context, kind txOpKind, st Statement) (Result, Bookmark, error) {
	if tx.readOnly {
		return tx.doRead(ctx, kind, st)
	}
	op := &txOp{kind: kind, st: st, done: make(chan struct{})}
	select {
	case tx.ops <- op:
	case <-tx.done:
		return Result{}, "", tx.finishedErr()
	case <-ctx.Done():
		return Result{}, "", Errorf(CodeTimeout, "request cancelled")
	}
	<-op.done
	tx.db.awaitPeers(ctx, op.applied)
	return op.res, op.bookmark, op.err
}

func (tx *Tx) finishedErr() error {
	if tx.endErr != nil {
		return tx.endErr
	}
	return ErrTxDone
}

// runTx serves a read-write transaction on the writer goroutine.
func (w *writer) runTx(r *writeReq) {
	tx := r.tx
	defer close(r.done)
	err := w.conn.Exec("BEGIN IMMEDIATE")
	if err == nil {
		if err = w.beginWork(); err != nil {
			w.conn.Exec("ROLLBACK")
		}
	}
	if err != nil {
		tx.startErr = sqlError(err)
		close(tx.done)
		return
	}
	close(tx.started)
	defer close(tx.done)
	w.txLevel = tx.level
	idle := time.NewTimer(w.db.cfg.TxIdleTimeout)
	defer idle.Stop()
	for {
		select {
		case op := <-tx.ops:
			idle.Stop()
			if w.txOp(tx, op) {
				return
			}
			idle.Reset(w.db.cfg.TxIdleTimeout)
		case <-idle.C:
			w.conn.Exec("ROLLBACK")
			w.recover()
			w.unlockSchema()
			tx.endErr = errTxIdle
			w.db.log.Info("rolled back idle transaction", "idle", w.db.cfg.TxIdleTimeout)
			return
		case <-w.db.closing:
			w.conn.Exec("ROLLBACK")
			w.unlockSchema()
			tx.endErr = ErrClosed
			return
		}
	}
}

// txOp runs one operation of a transaction; it reports whether the transaction ended.
func (w *writer) txOp(tx *Tx, op *txOp) bool {
	defer close(op.done)
	switch op.kind {
	case opQuery, opExec:
		op.err = w.savepoint(func() error {
			out, err := w.run.run(op.st, op.kind == opQuery)
			if err == nil && len(out.ddl) > 0 {
				err = w.afterDDL(out.ddl)
			}
			op.res = out.Result
			return err
		})
		if !w.conn.InTx() { // the statement's ROLLBACK conflict resolution ended the transaction
			w.recover()
			w.unlockSchema()
			op.res, tx.endErr = Result{}, errTxRolledBack
			return true
		}
		return false
	case opCommit:
		op.bookmark, op.applied, op.err = w.commitTx(w.txLevel)
		return true
	}
	w.conn.Exec("ROLLBACK")
	w.recover()
	w.unlockSchema()
	return true
}

// commitTx stamps the transaction's changes as one change set and commits.
func (w *writer) commitTx(level Consistency) (Bookmark, <-chan struct{}, error) {
	_, err := w.stampChecked()
	sets := append([]*ChangeSet(nil), w.stamped...)
	prepared := false
	if err == nil {
		err = w.beforeCommit()
	}
	if err == nil {
		prepared, err = w.replicate(level, sets)
	}
	if err == nil {
		if err = sqlError(w.conn.Exec("COMMIT")); err != nil && prepared {
			w.db.repl().Aborted(w.db.name, sets)
		}
	}
	if err != nil {
		w.conn.Exec("ROLLBACK")
		w.recover()
		w.unlockSchema()
		return "", nil, err
	}
	w.afterCommit()
	w.published()
	applied := w.committed(sets, prepared)
	w.unlockSchema()
	return Vector{w.db.node: w.seq}.Bookmark(), applied, nil
}
