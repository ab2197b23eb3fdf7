package engine

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/warren-db/warren/engine/internal/sqlite3"
)

// Snapshot describes a consistent copy of a database.
type Snapshot struct {
	Vector        Vector // the change sets the copy contains
	SchemaVersion int64
	Size          int64
}

// Backup writes a consistent SQLite copy of db to w and describes it. The copy
// is an ordinary SQLite file, including Warren's tables, so it can restore a
// node or bootstrap a new one.
func (e *Engine) Backup(ctx context.Context, db string, w io.Writer) (Snapshot, error) {
	d, err := e.db(db)
	if err != nil {
		return Snapshot{}, err
	}
	return d.backup(ctx, w)
}

func (db *DB) backup(ctx context.Context, w io.Writer) (Snapshot, error) {
	dir := filepath.Join(filepath.Dir(db.path), ".snapshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Snapshot{}, fmt.Errorf("create snapshot dir: %w", err)
	}
	f, err := os.CreateTemp(dir, db.name+"-*.db")
	if err != nil {
		return Snapshot{}, fmt.Errorf("create snapshot file: %w", err)
	}
	path := f.Name()
	f.Close()
	os.Remove(path) // VACUUM INTO wants to create it
	defer os.Remove(path)
	if err := db.vacuumInto(ctx, path); err != nil {
		return Snapshot{}, err
	}
	snap, err := describeSnapshot(path)
	if err != nil {
		return Snapshot{}, err
	}
	src, err := os.Open(path)
	if err != nil {
		return Snapshot{}, fmt.Errorf("open snapshot: %w", err)
	}
	defer src.Close()
	if snap.Size, err = io.Copy(w, src); err != nil {
		return Snapshot{}, fmt.Errorf("send snapshot: %w", err)
	}
	return snap, nil
}

// vacuumInto writes a consistent copy with VACUUM INTO on a read connection.
func (db *DB) vacuumInto(ctx context.Context, path string) error {
	c, err := db.reader(ctx)
	if err != nil {
		return err
	}
	defer db.putReader(c)
	if err := execArgs(c.Conn, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("copy database: %w", sqlError(err))
	}
	return nil
}

// describeSnapshot reads the vector and schema version inside a copy.
func describeSnapshot(path string) (Snapshot, error) {
	c, err := sqlite3.Open(path, sqlite3.OpenReadOnly)
	if err != nil {
		return Snapshot{}, fmt.Errorf("open snapshot: %w", err)
	}
	defer c.Close()
	snap := Snapshot{Vector: Vector{}}
	rows, err := queryAll(c, "SELECT origin, seq FROM __warren_vector")
	if err != nil {
		return Snapshot{}, fmt.Errorf("read snapshot vector: %w", err)
	}
	for _, r := range rows {
		snap.Vector[r[0].(string)] = uint64(r[1].(int64))
	}
	snap.SchemaVersion, err = queryInt(c, "SELECT coalesce(max(version), 0) FROM __warren_schema")
	return snap, err
}
