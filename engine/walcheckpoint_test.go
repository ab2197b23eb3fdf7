package engine

import (
	"os"
	"path/filepath"
	"testing"
	"time"
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
	// At 100 pages (400 KB) the WAL restarts after each checkpoint, unless a
	// reader (the external-change poll, every 200 ms) holds a snapshot while
	// a checkpoint runs: then it grows on until the next one, which a slow
	// machine makes likelier (1.1 MB seen under -race). At 8000 pages no
	// checkpoint runs: the WAL holds all 150 rows, about 16 MB.
	small, large := walBytes(100), walBytes(8000)
	if small > 2<<20 || large < 8<<20 {
		t.Fatalf("-wal after 150 inserts of 16 KB: %d bytes at 100 pages, %d at 8000; want < 2 MiB and > 8 MiB", small, large)
	}
}

// Past wal_checkpoint_pages (but short of the writer's own bound), the WAL
// is copied into the database file by the checkpointer, with no further
// commit: the file grows to hold the rows.
func TestCheckpointer_CopiesTheWALInTheBackground(t *testing.T) {
	cfg := testConfig(t)
	cfg.WALCheckpointPages = 100
	e, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	mustExec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB)")
	for range 8 { // about 8 × 5 pages of rows, with the indexes and logs about 150 frames
		mustExec(t, e, "INSERT INTO t(b) VALUES (randomblob(16000))")
	}
	dbFile := filepath.Join(cfg.DataDir, "main.db")
	deadline := time.Now().Add(5 * time.Second)
	for {
		st, err := os.Stat(dbFile)
		if err != nil {
			t.Fatal(err)
		}
		if st.Size() >= 8*16000 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("main.db holds %d bytes 5 s after 8 rows of 16 KB were committed: the WAL was not checkpointed", st.Size())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
