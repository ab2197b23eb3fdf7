package engine

import (
	"errors"
	"fmt"

	"github.com/warren-db/warren/engine/internal/sqlite3"
)

// Checkpoints run on a connection of their own, not inside the writer's
// commits: SQLite's autocheckpoint copies the WAL back in the commit that
// takes it past wal_autocheckpoint pages, which held the writer for tens of
// milliseconds at 8000 pages (the worst replication lag of the insert
// benchmark, 55–89 ms against 11–13 ms with this checkpointer). The
// writer counts its WAL frames instead (sqlite3.Conn.CountWALFrames); after
// a commit that leaves WALCheckpointPages frames or more it wakes the
// checkpointer, whose passive checkpoint copies them while the writer goes
// on. The writer's first commit after a complete checkpoint starts the WAL
// over. Should the writer outrun the checkpointer (a checkpoint never
// catches up with a writer that appends while it copies), the writer
// checkpoints itself once the WAL holds checkpointBacklog times as many
// frames, as autocheckpoint did (waiting for the checkpointer's to end), so
// the WAL stays bounded.

// checkpointBacklog bounds the WAL at this many times WALCheckpointPages.
const checkpointBacklog = 3

// checkpointAfterCommit wakes the checkpointer, or checkpoints on the
// writer's connection w, as the WAL's length after w's commit asks.
func (db *DB) checkpointAfterCommit(w *sqlite3.Conn) {
	n := w.WALFrames()
	switch {
	case n >= checkpointBacklog*db.cfg.WALCheckpointPages:
		db.checkpoint(w)
	case n >= db.cfg.WALCheckpointPages:
		select {
		case db.ckptWake <- struct{}{}:
		default: // it is awake already
		}
	}
}

// checkpointLoop runs checkpoints on c when woken, until the database closes.
func (db *DB) checkpointLoop(c *sqlite3.Conn) {
	defer db.wg.Done()
	for {
		select {
		case <-db.closing:
			return
		case <-db.ckptWake:
			db.checkpoint(c)
		}
	}
}

// checkpoint runs a passive checkpoint on c, after any other of this
// database's (SQLite answers Busy to a second checkpoint rather than wait,
// and the writer's must not be skipped). Busy from another process's
// checkpoint leaves the work to it.
func (db *DB) checkpoint(c *sqlite3.Conn) {
	db.ckptMu.Lock()
	defer db.ckptMu.Unlock()
	_, _, err := c.Checkpoint()
	var se *sqlite3.Error
	if err != nil && !(errors.As(err, &se) && se.Code == sqlite3.Busy) {
		db.log.Warn("checkpoint the WAL", "err", err)
	}
}

// openCheckpointer opens the checkpointer's connection. It reads the journal
// mode first: a connection that has not read the file yet does not know it
// is in WAL mode, and its checkpoints would do nothing.
func (db *DB) openCheckpointer() (*sqlite3.Conn, error) {
	c, err := db.openConn(sqlite3.OpenReadWrite)
	if err != nil {
		return nil, err
	}
	if err := c.Exec("PRAGMA journal_mode=WAL"); err != nil {
		c.Close()
		return nil, fmt.Errorf("open checkpointer of %s: %w", db.path, err)
	}
	return c, nil
}
