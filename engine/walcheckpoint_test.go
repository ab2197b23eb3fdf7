package engine

import (
	"os"
	"path/filepath"
	"testing"
)

// The writer copies the WAL back into the database once it holds
// WALCheckpointPages pages, so the -wal file stays near that size.
func TestWALCheckpointPages_BoundTheWAL(t *testing.T) {
	walBytes := func(pages int) int64 {
		cfg := testConfig(t)
		cfg.WALCheckpointPages = pages
		e, err := Open(cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		mustExec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB)")
		for range 150 { // about 150 × 5 pages
			mustExec(t, e, "INSERT INTO t(b) VALUES (randomblob(16000))")
		}
		st, err := os.Stat(filepath.Join(cfg.DataDir, "main.db-wal"))
		if err != nil {
			t.Fatal(err)
		}
		return st.Size()
	}
	small, large := walBytes(100), walBytes(8000)
	if small > 1<<20 || large < 2<<20 {
		t.Fatalf("-wal after 150 inserts of 16 KB: %d bytes at 100 pages, %d at 8000; want < 1 MiB and > 2 MiB", small, large)
	}
}
