package mysqlwire

import (
	"context"
	"errors"

	"github.com/warren-db/warren/engine"
)

// txState is the session's MySQL transaction. The engine transaction behind
// it is begun lazily, at the first write (or, for READ ONLY, the first
// read): a read-write engine transaction holds its database's writer, so
// a transaction that has not written yet must not block everyone else.
// Reads before the first write therefore see the latest committed data
// (READ COMMITTED for that prefix); reads after it see the transaction's
// own writes.
type txState struct {
	open     bool       // BEGIN, or a statement with autocommit off, opened it
	readOnly bool       // START TRANSACTION READ ONLY / SET TRANSACTION READ ONLY
	eng      *engine.Tx // begun lazily; nil until then
	db       string     // the database of eng: a transaction writes one database
}

// beginTx is BEGIN and START TRANSACTION (an open transaction was already
// committed: BEGIN commits implicitly).
func (s *session) beginTx(readOnly bool) *outcome {
	s.tx = txState{open: true, readOnly: readOnly || s.nextTxReadOnly}
	s.nextTxReadOnly = false
	return okOutcome
}

// autoBegin opens a transaction for a statement when autocommit is off, as
// MySQL does implicitly.
func (s *session) autoBegin() {
	if !s.autocommit && !s.tx.open {
		s.beginTx(false)
	}
}

// readTx returns the engine transaction a read on db runs in, or nil to run
// it outside (no transaction, none begun yet, or one on another database).
func (s *session) readTx(ctx context.Context, db string) (*engine.Tx, error) {
	switch {
	case !s.tx.open:
		return nil, nil
	case s.tx.eng != nil && s.tx.db == db:
		return s.tx.eng, nil
	case s.tx.eng != nil || !s.tx.readOnly:
		return nil, nil
	}
	tx, err := s.srv.eng.Begin(ctx, db, engine.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	s.tx.eng, s.tx.db = tx, db
	return tx, nil
}

// txExec runs a write inside the open transaction, beginning the engine
// transaction on db if this is its first write.
func (s *session) txExec(ctx context.Context, db string, st engine.Statement) (engine.Result, error) {
	switch {
	case s.tx.readOnly:
		return engine.Result{}, &Error{Code: 1792, SQLState: "25006", Message: "Cannot execute statement in a READ ONLY transaction."}
	case s.tx.eng != nil && s.tx.db != db:
		return engine.Result{}, errNotSupportedf("a transaction that writes to database '%s' and '%s'", s.tx.db, db)
	case s.tx.eng == nil:
		tx, err := s.srv.eng.Begin(ctx, db, engine.TxOptions{Consistency: s.consistency})
		if err != nil {
			return engine.Result{}, err
		}
		s.tx.eng, s.tx.db = tx, db
	}
	res, err := s.tx.eng.Exec(ctx, st)
	return res, s.txFailed(err)
}

// txFailed ends the session's transaction when err says the engine
// transaction is gone (rolled back after idling, node closing).
func (s *session) txFailed(err error) error {
	if err != nil && engine.ErrorCode(err) == engine.CodeTxNotFound {
		s.tx = txState{}
	}
	return err
}

// commitTx is COMMIT: the engine transaction commits through the cluster
// like any write. Whatever the outcome, the transaction is over.
func (s *session) commitTx(ctx context.Context) error {
	tx := s.tx.eng
	s.tx = txState{}
	if tx == nil {
		return nil
	}
	_, err := tx.Commit(ctx)
	return err
}

// rollbackTx is ROLLBACK, also run when the connection ends.
func (s *session) rollbackTx() {
	tx := s.tx.eng
	s.tx = txState{}
	if tx == nil {
		return
	}
	if err := tx.Rollback(); err != nil && !errors.Is(err, engine.ErrTxDone) && engine.ErrorCode(err) != engine.CodeTxNotFound {
		s.log.Warn("roll back transaction", "err", err)
	}
}

// setAutocommit is SET autocommit: turning it on commits the open transaction.
func (s *session) setAutocommit(ctx context.Context, on bool) error {
	s.autocommit = on
	if on && s.tx.open {
		return s.commitTx(ctx)
	}
	return nil
}
