package engine

import (
	"context"
	"fmt"
	"os"

	"github.com/warren-db/warren/engine/internal/sqlite3"
)

// InstallSnapshot replaces db with the SQLite copy at path (a snapshot from
// another node), atomically: the old file stays until the copy has been
// checked, and requests in flight on the old file fail with a retryable
// error. A copy that lacks change sets this node originated is refused, so
// no write of this node is lost and no sequence is reused. The database is
// created if it does not exist.
func (e *Engine) InstallSnapshot(ctx context.Context, db, path string) (Snapshot, error) {
	if err := ValidName(db); err != nil {
		return Snapshot{}, err
	}
	snap, err := checkSnapshot(path)
	if err != nil {
		return Snapshot{}, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return Snapshot{}, ErrClosed
	}
	if old, ok := e.dbs[db]; ok {
		if mine := old.vector()[e.id.NodeID]; snap.Vector[e.id.NodeID] < mine {
			return Snapshot{}, Errorf(CodeInvalid, "snapshot of %s lacks this node's change sets %d..%d: refusing to lose them",
				db, snap.Vector[e.id.NodeID]+1, mine)
		}
		old.close()
		delete(e.dbs, db)
	}
	target := e.path(db)
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(target + suffix)
	}
	if err := os.Rename(path, target); err != nil {
		return Snapshot{}, fmt.Errorf("install snapshot: %w", err)
	}
	if err := e.open(db); err != nil {
		return Snapshot{}, err
	}
	e.log.Info("snapshot installed", "db", db, "vector", snap.Vector.Bookmark(), "schema_version", snap.SchemaVersion)
	return snap, nil
}

// checkSnapshot verifies a snapshot file and describes it.
func checkSnapshot(path string) (Snapshot, error) {
	c, err := sqlite3.Open(path, sqlite3.OpenReadOnly)
	if err != nil {
		return Snapshot{}, fmt.Errorf("open snapshot: %w", err)
	}
	rows, err := queryAll(c, "PRAGMA quick_check")
	c.Close()
	if err != nil || len(rows) == 0 || rows[0][0] != "ok" {
		return Snapshot{}, Errorf(CodeInvalid, "snapshot failed its integrity check: %v %v", rows, err)
	}
	return describeSnapshot(path)
}
