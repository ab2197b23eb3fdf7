package engine

import (
	"context"
	"time"
)

// beginRead starts a read-only transaction on a pooled connection.
func (tx *Tx) beginRead(ctx context.Context) error {
	rc, err := tx.db.reader(ctx)
	if err != nil {
		return err
	}
	tx.rconn, tx.conn = rc, rc.Conn
	tx.run = runner{conn: tx.conn, maxRows: tx.db.cfg.MaxRows}
	if err := tx.conn.Exec("BEGIN; SELECT 1 FROM sqlite_schema LIMIT 1"); err != nil {
		tx.release()
		return sqlError(err)
	}
	tx.timer = time.AfterFunc(tx.db.cfg.TxIdleTimeout, tx.expire)
	return nil
}

// expire rolls back an idle read-only transaction.
func (tx *Tx) expire() {
	tx.mu.Lock()
	defer tx.mu.Unlock()
	if tx.conn != nil {
		tx.endErr = errTxIdle
		tx.release()
	}
}

func (tx *Tx) release() {
	tx.conn.Exec("ROLLBACK")
	tx.db.putReader(tx.rconn)
	tx.conn, tx.rconn = nil, nil
	close(tx.done)
}

func (tx *Tx) doRead(ctx context.Context, kind txOpKind, st Statement) (Result, Bookmark, error) {
	tx.mu.Lock()
	defer tx.mu.Unlock()
	if tx.conn == nil {
		return Result{}, "", tx.finishedErr()
	}
	tx.timer.Stop()
	switch kind {
	case opQuery, opExec:
		defer tx.timer.Reset(tx.db.cfg.TxIdleTimeout)
		stop := interruptAfter(ctx, tx.conn, tx.db.cfg.QueryTimeout)
		out, err := tx.run.run(st, true)
		stop()
		return out.Result, "", err
	}
	tx.release()
	return Result{}, tx.db.vector().Bookmark(), nil
}
