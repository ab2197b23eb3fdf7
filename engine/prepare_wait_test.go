package engine

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// gatedReplicator holds every Prepare until the test lets it end, with
// success or failure.
type gatedReplicator struct {
	fakeReplicator
	entered chan struct{}
	outcome chan bool // true: the quorum acked
}

func newGated() *gatedReplicator {
	return &gatedReplicator{entered: make(chan struct{}, 1), outcome: make(chan bool)}
}

func (g *gatedReplicator) Prepare(ctx context.Context, db string, sets []*ChangeSet, c Consistency) error {
	g.entered <- struct{}{}
	if !<-g.outcome {
		return errors.New("1 of 3 voters acked, 2 needed")
	}
	return g.fakeReplicator.Prepare(ctx, db, sets, c)
}

// prepareWaitSetup returns node b holding a QUORUM insert of id 100 in its
// prepare phase, with a change set from node a (id 1) queued behind it, and
// the number of commits in b's WAL by then. The insert answers on one
// channel, ApplyBatch on the other.
func prepareWaitSetup(t *testing.T) (b *Engine, g *gatedReplicator, commits int, insert, apply <-chan error) {
	t.Helper()
	a := openNode(t, "a")
	b = openNode(t, "b")
	mustExec(t, a, "CREATE TABLE t(id INTEGER PRIMARY KEY, v)")
	mustExec(t, a, "INSERT INTO t(id, v) VALUES (1, 'from a')")
	sets := ownSets(t, a)
	if err := b.ApplyBatch(t.Context(), "main", sets[:1]); err != nil { // the table
		t.Fatal(err)
	}
	g = newGated()
	b.SetReplicator(g)
	d, err := b.db("main")
	if err != nil {
		t.Fatal(err)
	}
	ins, app := make(chan error, 1), make(chan error, 1)
	whileHeld(t, b, 2, func() { // the insert first, so that it begins the batch
		go func() {
			_, err := b.Exec(context.Background(), "main", []Statement{{SQL: "INSERT INTO t(id, v) VALUES (100, 'from b')"}}, ExecOptions{})
			ins <- err
		}()
		for len(d.writer.reqs) < 1 {
			time.Sleep(time.Millisecond)
		}
		go func() { app <- b.ApplyBatch(context.Background(), "main", sets[1:]) }()
	})
	<-g.entered
	return b, g, walCommits(t, b), ins, app
}

// walCommits counts the transactions committed to main's -wal file.
func walCommits(t *testing.T, e *Engine) int {
	t.Helper()
	wal, err := os.ReadFile(filepath.Join(e.cfg.DataDir, "main.db-wal"))
	if err != nil {
		t.Fatal(err)
	}
	if len(wal) < 32 {
		return 0
	}
	page, salts := int(binary.BigEndian.Uint32(wal[8:])), wal[16:24]
	n := 0
	for off := 32; off+24+page <= len(wal); off += 24 + page {
		frame := wal[off : off+24]
		if !bytes.Equal(frame[8:16], salts) {
			break // left over from before the last reset
		}
		if binary.BigEndian.Uint32(frame[4:]) != 0 { // the database size: set on a commit's last frame
			n++
		}
	}
	return n
}

// While a QUORUM batch waits for its peers, the writer applies the change
// set a peer sent in the same transaction: nothing of either is visible
// before the acks, and both commit together, in one transaction, once they
// come. Without this the set waited for the batch to end and committed in a
// transaction of its own.
func TestPrepareWait_PeersSetsApplyWhilePeersStage(t *testing.T) {
	b, g, commits, insert, apply := prepareWaitSetup(t)
	if got := mustQuery(t, b, "SELECT count(*) FROM t"); got[0][0] != int64(0) {
		t.Fatalf("%v rows visible before the batch committed", got[0][0])
	}
	g.outcome <- true
	if err := <-insert; err != nil {
		t.Fatal(err)
	}
	if err := <-apply; err != nil {
		t.Fatal(err)
	}
	if n := walCommits(t, b) - commits; n != 1 {
		t.Fatalf("the batch and the peer's set took %d transactions, want 1", n)
	}
	got := mustQuery(t, b, "SELECT id FROM t ORDER BY id")
	if len(got) != 2 || got[0][0] != int64(1) || got[1][0] != int64(100) {
		t.Fatalf("rows %v, want ids 1 and 100", got)
	}
	if v, _ := b.Vector("main"); v["a"] != 2 || v["b"] != 1 {
		t.Fatalf("vector %v, want a:2 b:1", v)
	}
}

// A batch that misses its quorum rolls back alone: the peer's set applied
// in its transaction runs again in the next one.
func TestPrepareWait_FailedBatchLeavesPeersSetsToTheNext(t *testing.T) {
	b, g, _, insert, apply := prepareWaitSetup(t)
	g.outcome <- false
	if err := <-insert; ErrorCode(err) != CodeUnavailable {
		t.Fatalf("insert: %v, want unavailable", err)
	}
	if err := <-apply; err != nil {
		t.Fatalf("apply after the batch failed: %v", err)
	}
	got := mustQuery(t, b, "SELECT id FROM t")
	if len(got) != 1 || got[0][0] != int64(1) {
		t.Fatalf("rows %v, want id 1 alone (the failed write happened nowhere)", got)
	}
	if v, _ := b.Vector("main"); v["a"] != 2 || v["b"] != 0 {
		t.Fatalf("vector %v, want a:2 and nothing of b", v)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.aborted) != 1 {
		t.Fatalf("aborted %d sets, want 1", len(g.aborted))
	}
}
