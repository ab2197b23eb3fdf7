package engine

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// fakeReplicator records calls; Prepare fails while fail is set.
type fakeReplicator struct {
	mu        sync.Mutex
	fail      bool
	prepared  []*ChangeSet
	committed []*ChangeSet
	aborted   []*ChangeSet
	levels    []Consistency
	locks     int
	releases  int
}

func (f *fakeReplicator) Prepare(ctx context.Context, db string, sets []*ChangeSet, c Consistency) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.levels = append(f.levels, c)
	if f.fail {
		return errors.New("1 of 3 voters acked, 2 needed")
	}
	f.prepared = append(f.prepared, sets...)
	return nil
}

func (f *fakeReplicator) Committed(db string, sets []*ChangeSet, prepared bool) <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.committed = append(f.committed, sets...)
	return nil
}

func (f *fakeReplicator) Announce(context.Context, map[string]CatalogRecord, map[string]map[string]RegistryRecord) {
}

func (f *fakeReplicator) LockSchema(ctx context.Context, db string) (func(), error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.locks++
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.releases++
	}, nil
}

func (f *fakeReplicator) CatchUp(ctx context.Context, db string) error { return nil }

func (f *fakeReplicator) Aborted(db string, sets []*ChangeSet) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.aborted = append(f.aborted, sets...)
}

func TestReplicator_FailedPrepareHappenedNowhere(t *testing.T) {
	e := openTest(t)
	f := &fakeReplicator{}
	e.SetReplicator(f)
	mustExec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, v)")
	if f.locks != 1 || f.releases != 1 {
		t.Fatalf("DDL took %d schema leases, released %d", f.locks, f.releases)
	}
	f.fail = true
	_, err := e.Exec(t.Context(), "main", []Statement{{SQL: "INSERT INTO t(v) VALUES ('lost')"}}, ExecOptions{})
	if ErrorCode(err) != CodeUnavailable {
		t.Fatalf("want unavailable, got %v", err)
	}
	if got := mustQuery(t, e, "SELECT count(*) FROM t"); got[0][0] != int64(0) {
		t.Fatal("a write that missed its quorum is visible")
	}
	if len(f.aborted) != 1 {
		t.Fatalf("aborted %d sets", len(f.aborted))
	}
	// ONE does not wait for peers and pushes after commit.
	if _, err := e.Exec(t.Context(), "main", []Statement{{SQL: "INSERT INTO t(v) VALUES ('one')"}}, ExecOptions{Consistency: ConsistencyOne}); err != nil {
		t.Fatal(err)
	}
	f.fail = false
	resp := mustExec(t, e, "INSERT INTO t(v) VALUES ('quorum')")
	v, _ := resp.Bookmark.Vector()
	if v[e.NodeID()] != 3 { // CREATE, 'one', 'quorum': the failed write used no sequence
		t.Fatalf("bookmark %s", resp.Bookmark)
	}
	if len(f.committed) != 3 || f.levels[len(f.levels)-1] != ConsistencyQuorum {
		t.Fatalf("committed %d, levels %v", len(f.committed), f.levels)
	}
}

func TestStaging_CommitAbortStatus(t *testing.T) {
	a, b := openNode(t, "a"), openNode(t, "b")
	mustExec(t, a, "CREATE TABLE t(id INTEGER PRIMARY KEY, v)")
	mustExec(t, a, "INSERT INTO t(id, v) VALUES (1, 'x')")
	sets := ownSets(t, a)
	ctx := t.Context()
	if err := b.Stage(ctx, "main", sets); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Query(ctx, "main", Statement{SQL: "SELECT * FROM t"}, QueryOptions{}); ErrorCode(err) != CodeSQL {
		t.Fatalf("staged DDL was applied: %v", err)
	}
	staged, _ := b.Staged(ctx, "main", time.Now().Add(time.Second))
	if len(staged) != 2 {
		t.Fatalf("staged %v", staged)
	}
	if st, _ := a.SetStatus(ctx, "main", sets[1].ID()); st != SetCommitted {
		t.Fatalf("origin status %v", st)
	}
	stale := sets[1].ID()
	stale.HLC--
	if st, _ := a.SetStatus(ctx, "main", stale); st != SetAborted {
		t.Fatalf("stale status %v", st)
	}
	if err := b.CommitStaged(ctx, "main", []SetID{sets[0].ID(), sets[1].ID()}); err != nil {
		t.Fatal(err)
	}
	if got := mustQuery(t, b, "SELECT v FROM t"); len(got) != 1 || got[0][0] != "x" {
		t.Fatalf("rows %v", got)
	}
	if staged, _ := b.Staged(ctx, "main", time.Now().Add(time.Second)); len(staged) != 0 {
		t.Fatalf("left staged %v", staged)
	}
	mustExec(t, a, "INSERT INTO t(id, v) VALUES (2, 'y')")
	more := ownSets(t, a)[2:]
	b.Stage(ctx, "main", more)
	b.AbortStaged(ctx, "main", []SetID{more[0].ID()})
	if staged, _ := b.Staged(ctx, "main", time.Now().Add(time.Second)); len(staged) != 0 {
		t.Fatalf("abort left %v", staged)
	}
}

func TestSnapshot_InstallAndGC(t *testing.T) {
	a, b := openNode(t, "a"), openNode(t, "b")
	mustExec(t, a, "CREATE TABLE t(id INTEGER PRIMARY KEY, v)")
	for i := range 5 {
		mustExec(t, a, "INSERT INTO t(v) VALUES ('"+string(rune('a'+i))+"')")
	}
	var buf bytes.Buffer
	snap, err := a.Backup(t.Context(), "main", &buf)
	if err != nil || snap.Vector["a"] != 6 {
		t.Fatalf("backup %+v %v", snap, err)
	}
	path := filepath.Join(t.TempDir(), "snap.db")
	os.WriteFile(path, buf.Bytes(), 0o600)
	got, err := b.InstallSnapshot(t.Context(), "main", path)
	if err != nil || got.Vector["a"] != 6 {
		t.Fatalf("install %+v %v", got, err)
	}
	if rows := mustQuery(t, b, "SELECT count(*) FROM t"); rows[0][0] != int64(5) {
		t.Fatalf("rows %v", rows)
	}
	mustExec(t, b, "INSERT INTO t(v) VALUES ('after')") // b writes on the installed file
	// a snapshot lacking b's own writes is refused
	os.WriteFile(path, buf.Bytes(), 0o600)
	if _, err := b.InstallSnapshot(t.Context(), "main", path); ErrorCode(err) != CodeInvalid {
		t.Fatalf("install over own writes: %v", err)
	}
	// GC: everything is covered, retention zero: all but the newest set go
	res, err := a.GC(t.Context(), "main", GCOptions{Safe: Vector{"a": 6}, MinRetention: 0, MaxRetention: time.Hour})
	if err != nil || res.Sets != 5 {
		t.Fatalf("gc %+v %v", res, err)
	}
	floor, _ := a.LogFloor(t.Context(), "main")
	if floor["a"] != 5 {
		t.Fatalf("floor %v", floor)
	}
	sets, _ := a.ChangesSince(t.Context(), "main", Vector{}, 0)
	if len(sets) != 1 || sets[0].Seq != 6 {
		t.Fatalf("sets after gc %v", sets)
	}
}

// A write a node takes after it staged a peer's set wins over that set,
// even when the peer's clock runs ahead: a client told its QUORUM write
// succeeded may write the same row through this node next.
func TestStaging_LaterLocalWriteWinsOverSkewedClock(t *testing.T) {
	a, b := openNode(t, "a"), openNode(t, "b")
	mustExec(t, a, "CREATE TABLE t(id INTEGER PRIMARY KEY, v)")
	applyAll(t, b, ownSets(t, a))
	mustExec(t, a, "INSERT INTO t(id, v) VALUES (1, 'first, on a')")
	sets := ownSets(t, a)
	ahead := *sets[len(sets)-1]
	ahead.HLC = makeHLC(time.Now().Add(time.Hour).UnixMilli(), 0) // a's clock an hour ahead
	ctx := t.Context()
	if err := b.Stage(ctx, "main", []*ChangeSet{&ahead}); err != nil {
		t.Fatal(err)
	}
	mustExec(t, b, "INSERT INTO t(id, v) VALUES (1, 'second, on b') ON CONFLICT(id) DO UPDATE SET v = excluded.v")
	if err := b.CommitStaged(ctx, "main", []SetID{ahead.ID()}); err != nil {
		t.Fatal(err)
	}
	if got := mustQuery(t, b, "SELECT v FROM t WHERE id = 1"); got[0][0] != "second, on b" {
		t.Fatalf("row 1 is %v: the earlier write on the skewed node won", got[0][0])
	}
}
