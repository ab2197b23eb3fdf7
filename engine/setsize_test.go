package engine

import (
	"context"
	"testing"
)

// openLimited opens a replicating node whose change sets may hold limit
// bytes, with table t(id, b).
func openLimited(t *testing.T, limit int) (*Engine, *fakeReplicator) {
	t.Helper()
	cfg := testConfig(t)
	cfg.NodeID, cfg.MaxChangeSetBytes = "n1", limit
	e, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	f := &fakeReplicator{}
	e.SetReplicator(f)
	mustExec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB)")
	return e, f
}

// insertBlobs is a statement inserting n rows of size-byte blobs.
func insertBlobs(n, size int) Statement {
	return Statement{SQL: "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < ?) INSERT INTO t(b) SELECT randomblob(?) FROM r",
		Params: Params{Positional: []Value{int64(n), int64(size)}}}
}

// assertSetsFit fails unless every set the node prepared is within limit.
func assertSetsFit(t *testing.T, f *fakeReplicator, limit int) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, cs := range f.prepared {
		if n := cs.Size(); n > limit {
			t.Fatalf("set %s/%d of %d bytes prepared, limit %d", cs.Origin, cs.Seq, n, limit)
		}
	}
}

// A transaction whose changes could not reach the peers in one message is
// refused with too_large and leaves nothing behind, at any consistency,
// whether it is an exec or an interactive transaction.
func TestSetSize_TransactionTooLargeForPeersIsRefused(t *testing.T) {
	const limit = 64 << 10
	e, f := openLimited(t, limit)
	ctx := context.Background()
	for _, level := range []Consistency{ConsistencyOne, ConsistencyQuorum} {
		_, err := e.Exec(ctx, "main", []Statement{insertBlobs(20, 4096)}, ExecOptions{Consistency: level})
		if ErrorCode(err) != CodeTooLarge {
			t.Fatalf("%s: 160 KiB of changes: want too_large, got %v", level, err)
		}
	}
	tx, err := e.Begin(ctx, "main", TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, insertBlobs(20, 4096)); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Commit(ctx); ErrorCode(err) != CodeTooLarge {
		t.Fatalf("commit of 160 KiB of changes: want too_large, got %v", err)
	}
	if got := mustQuery(t, e, "SELECT count(*) FROM t"); got[0][0] != int64(0) {
		t.Fatalf("%v rows of refused transactions are in the file", got[0][0])
	}
	if _, err := e.Exec(ctx, "main", []Statement{insertBlobs(5, 4096)}, ExecOptions{}); err != nil {
		t.Fatalf("40 KiB of changes: %v", err)
	}
	assertSetsFit(t, f, limit)
	if got := mustQuery(t, e, "SELECT count(*) FROM __warren_changes WHERE pos IS NULL"); got[0][0] != int64(0) {
		t.Fatal("changes left unstamped")
	}
}

// Requests that fit one by one but not together in a group commit's set are
// stamped into sets of their own; only the one too large on its own fails.
func TestSetSize_GroupCommitSplitsAndFailsOnlyTheLargeRequest(t *testing.T) {
	const limit = 64 << 10
	e, f := openLimited(t, limit)
	const n = 12
	errs := make([]error, n)
	inOneBatch(t, e, n, func(i int) {
		st := insertBlobs(2, 4096) // 16 KiB of hex: 12 of them exceed the limit together
		if i == 7 {
			st = insertBlobs(20, 4096)
		}
		_, errs[i] = e.Exec(context.Background(), "main", []Statement{st}, ExecOptions{})
	})
	for i, err := range errs {
		if (i == 7) != (err != nil) || (i == 7 && ErrorCode(err) != CodeTooLarge) {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	if got := mustQuery(t, e, "SELECT count(*) FROM t"); got[0][0] != int64(2*(n-1)) {
		t.Fatalf("%v rows written, want %d", got[0][0], 2*(n-1))
	}
	assertSetsFit(t, f, limit)
	rows := 0
	for _, cs := range ownSets(t, e)[1:] { // after the CREATE TABLE
		rows += len(cs.Changes)
	}
	if rows != 2*(n-1) || len(f.prepared) != len(ownSets(t, e)) {
		t.Fatalf("%d rows in the log, %d sets prepared of %d", rows, len(f.prepared), len(ownSets(t, e)))
	}
}

// A node that does not replicate has no peers to reach: no limit.
func TestSetSize_NoLimitWithoutReplication(t *testing.T) {
	cfg := testConfig(t)
	cfg.MaxChangeSetBytes = 64 << 10
	e, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	mustExec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB)")
	if _, err := e.Exec(context.Background(), "main", []Statement{insertBlobs(20, 4096)}, ExecOptions{}); err != nil {
		t.Fatal(err)
	}
}
