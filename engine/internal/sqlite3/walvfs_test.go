package sqlite3

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func scalar(t *testing.T, c *Conn, sql string) string {
	t.Helper()
	s, _, err := c.Prepare(sql)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Finalize()
	if ok, err := s.Step(); err != nil || !ok {
		t.Fatalf("%s: row %v, err %v", sql, ok, err)
	}
	return fmt.Sprint(s.ColumnValue(0))
}

// openWAL opens path in WAL mode, closed when the test ends.
func openWAL(t testing.TB, path string) *Conn {
	t.Helper()
	c, err := Open(path, OpenReadWrite|OpenCreate)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"); err != nil {
		t.Fatal(err)
	}
	return c
}

// A commit's frames reach the WAL file in one write call, and another
// connection sees them as soon as the commit returns.
func TestWALVFS_OneWritePerCommit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	w := openWAL(t, path)
	if err := w.Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, s TEXT)"); err != nil {
		t.Fatal(err)
	}
	r := openWAL(t, path)
	for round := 1; round <= 3; round++ {
		frames0, writes0 := walStats()
		if err := w.Exec("BEGIN; INSERT INTO t(s) SELECT printf('%0100d', value) FROM generate_series(1, 200); COMMIT"); err != nil {
			t.Fatal(err)
		}
		frames, writes := walStats()
		if frames-frames0 < 5 {
			t.Fatalf("round %d: %d frames, want a commit of several pages", round, frames-frames0)
		}
		if writes-writes0 != 1 {
			t.Errorf("round %d: %d frames in %d write calls, want 1", round, frames-frames0, writes-writes0)
		}
		if got, want := scalar(t, r, "SELECT count(*) FROM t"), fmt.Sprint(200*round); got != want {
			t.Fatalf("round %d: another connection sees %s rows, want %s", round, got, want)
		}
	}
}

// Transactions larger than the buffer, rolled back, and checkpointed leave a
// file that is whole, for this process after a reopen and for the sqlite3 shell.
func TestWALVFS_LargeAndRolledBackTransactions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	w := openWAL(t, path)
	steps := []string{
		"CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB)",
		"BEGIN; INSERT INTO t(b) SELECT randomblob(1000) FROM generate_series(1, 3000); COMMIT", // about 3 MB
		"BEGIN; INSERT INTO t(b) SELECT randomblob(1000) FROM generate_series(1, 3000); ROLLBACK",
		"PRAGMA cache_size=10; BEGIN; UPDATE t SET b = randomblob(900); ROLLBACK", // spills pages to the WAL, then drops them
		"PRAGMA wal_checkpoint(PASSIVE)",
		"BEGIN; DELETE FROM t WHERE id % 2 = 0; COMMIT",
	}
	for _, sql := range steps {
		if err := w.Exec(sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	w.Close()
	c := openWAL(t, path)
	if got := scalar(t, c, "SELECT count(*) FROM t"); got != "1500" {
		t.Fatalf("%s rows after reopen, want 1500", got)
	}
	if got := scalar(t, c, "PRAGMA integrity_check"); got != "ok" {
		t.Fatalf("integrity_check: %s", got)
	}
	shell, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Fatal("the sqlite3 shell is required (apt-get install sqlite3): .ci/run installs it")
	}
	out, err := exec.Command(shell, path, "SELECT count(*) FROM t; PRAGMA integrity_check;").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "1500\nok" {
		t.Fatalf("sqlite3 shell: %q, %v", out, err)
	}
}

// A transaction that spills pages to the WAL and changes them again makes
// SQLite rewrite those frames in place and then their checksums. A process
// that dies right after such a commit, before any checkpoint or close, leaves
// a WAL that the next opener recovers whole: every checksum was written.
func TestWALVFS_CommitSurvivesTheProcess(t *testing.T) {
	if path := os.Getenv("WARREN_TEST_WALVFS_CRASH"); path != "" {
		c, err := Open(path, OpenReadWrite|OpenCreate)
		if err != nil {
			t.Fatal(err)
		}
		steps := []string{
			"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=8",
			"CREATE TABLE t(id INTEGER PRIMARY KEY, s TEXT)",
			"BEGIN; INSERT INTO t(s) SELECT printf('%0200d', value) FROM generate_series(1, 2000); " +
				"UPDATE t SET s = 'x' || s; UPDATE t SET s = 'y' || s WHERE id % 3 = 0; COMMIT",
		}
		for _, sql := range steps {
			if err := c.Exec(sql); err != nil {
				t.Fatal(err)
			}
		}
		os.Exit(0) // no close, no checkpoint: as if killed
	}
	path := filepath.Join(t.TempDir(), "t.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestWALVFS_CommitSurvivesTheProcess$")
	cmd.Env = append(os.Environ(), "WARREN_TEST_WALVFS_CRASH="+path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("writer process: %v\n%s", err, out)
	}
	c := openWAL(t, path) // the first connection: SQLite rebuilds the wal-index from the WAL's checksums
	if got := scalar(t, c, "SELECT count(*) FROM t WHERE s LIKE 'x%'") + "/" + scalar(t, c, "SELECT count(*) FROM t WHERE s LIKE 'yx%'"); got != "1334/666" {
		t.Fatalf("rows after recovery (x/yx): %s, want 1334/666", got)
	}
	if got := scalar(t, c, "PRAGMA integrity_check"); got != "ok" {
		t.Fatalf("integrity_check: %s", got)
	}
}
