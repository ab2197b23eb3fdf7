package engine

import (
	"context"

	"github.com/warren-db/warren/engine/internal/sqlite3"
)

// readConn is a pooled read-only connection. Between queries it may keep a
// read transaction open ("warm"): SQLite takes and drops its WAL read lock
// with fcntl calls at the start and end of every read transaction, which
// was most of a point select's time (10.9 µs, 2.8 µs warm). A warm transaction is
// reused only while the database's log head has not moved since it began,
// so a query sees everything this node committed before the query started;
// a write by another process becomes visible once the writer has stamped it
// (within externalPoll). Idle warm transactions end when the head moves
// (coolIdle), so they never hold the WAL back for long.
type readConn struct {
	*sqlite3.Conn
	warm int64 // the log head when the open read transaction began; -1: none
}

// cold ends the connection's warm transaction, if any.
func (c *readConn) cold() {
	if c.warm >= 0 && c.InTx() {
		c.Exec("ROLLBACK")
	}
	c.warm = -1
}

// warmUp makes sure the connection reads a snapshot that holds every change
// set up to head: it keeps a warm transaction begun at head, or begins one.
func (c *readConn) warmUp(head int64) error {
	if c.warm == head && c.InTx() {
		return nil
	}
	c.cold()
	if err := c.Exec("BEGIN"); err != nil { // deferred: the snapshot is taken by the first read
		return sqlError(err)
	}
	c.warm = head
	return nil
}

// reader takes a read connection from the pool with no transaction open;
// putReader returns it.
func (db *DB) reader(ctx context.Context) (*readConn, error) {
	select {
	case c := <-db.readers:
		c.cold()
		return c, nil
	case <-ctx.Done():
		return nil, Errorf(CodeTimeout, "request cancelled while waiting for a read connection")
	case <-db.closing:
		return nil, ErrClosed
	}
}

// warmReader takes a read connection inside a read transaction that sees
// every change set this node has committed.
func (db *DB) warmReader(ctx context.Context) (*readConn, error) {
	head := db.headNow.Load() // before the snapshot is taken: it then holds at least this much
	select {
	case c := <-db.readers:
		if err := c.warmUp(head); err != nil {
			db.putReader(c)
			return nil, err
		}
		return c, nil
	case <-ctx.Done():
		return nil, Errorf(CodeTimeout, "request cancelled while waiting for a read connection")
	case <-db.closing:
		return nil, ErrClosed
	}
}

func (db *DB) putReader(c *readConn) { db.readers <- c }

// coolIdle ends the warm transactions of idle connections that began before
// the head moved, so that no snapshot keeps the WAL from being recycled.
func (db *DB) coolIdle() {
	head := db.headNow.Load()
	var idle []*readConn
	defer func() {
		for _, c := range idle {
			db.readers <- c
		}
	}()
	for range db.nReader {
		select {
		case c := <-db.readers:
			if c.warm >= 0 && c.warm != head {
				c.cold()
			}
			idle = append(idle, c)
		default:
			return
		}
	}
}
