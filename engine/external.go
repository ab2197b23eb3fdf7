package engine

import (
	"context"
	"time"
)

// externalPoll is how often a database looks for changes other processes
// wrote into its file (their capture rows wait with no log position).
const externalPoll = 200 * time.Millisecond

// watchExternal stamps changes written by other processes, such as the
// sqlite3 CLI, soon after they commit, and picks up their DDL.
func (db *DB) watchExternal() {
	defer db.wg.Done()
	t := time.NewTicker(externalPoll)
	defer t.Stop()
	for {
		select {
		case <-db.closing:
			return
		case <-t.C:
		}
		db.coolIdle()
		if db.externalPending() {
			ctx, cancel := context.WithTimeout(context.Background(), db.cfg.BusyTimeout+time.Second)
			r := &writeReq{fn: func() error { return nil }, level: ConsistencyOne}
			if err := db.writer.submit(ctx, r); err == nil && r.errs[0] != nil {
				db.log.Warn("stamp external changes", "err", r.errs[0])
			}
			cancel()
		}
	}
}

// externalPending reports whether unstamped changes or an unseen schema are in the file.
func (db *DB) externalPending() bool {
	c := <-db.readers
	c.cold() // a fresh snapshot: the other process's commit is newer than any warm one
	defer db.putReader(c)
	n, err := queryInt(c.Conn, "SELECT count(*) FROM (SELECT 1 FROM __warren_changes WHERE pos IS NULL LIMIT 1)")
	if err != nil {
		return false
	}
	if n > 0 {
		return true
	}
	cookie, err := queryInt(c.Conn, "PRAGMA schema_version")
	return err == nil && cookie != db.writer.cookieSeen.Load()
}
