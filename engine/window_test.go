package engine

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

func openWindowed(t *testing.T, window time.Duration) *Engine {
	t.Helper()
	cfg := testConfig(t)
	cfg.GroupCommitWindow = window
	e, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	mustExec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
	return e
}

// insertAsync starts an insert and returns where its answer arrives.
func insertAsync(e *Engine, v string) <-chan *ExecResponse {
	out := make(chan *ExecResponse, 1)
	go func() {
		resp, err := e.Exec(context.Background(), "main", []Statement{{SQL: "INSERT INTO t(v) VALUES (?)",
			Params: Params{Positional: []Value{v}}}}, ExecOptions{})
		if err != nil {
			resp = &ExecResponse{Errors: []error{err}}
		}
		out <- resp
	}()
	return out
}

// bookmarks waits for the answers and returns each one's bookmark, which
// names the change set its write went into.
func bookmarks(t *testing.T, answers []<-chan *ExecResponse) []Bookmark {
	t.Helper()
	var out []Bookmark
	for _, a := range answers {
		resp := <-a
		if len(resp.Errors) > 0 && resp.Errors[0] != nil {
			t.Fatalf("insert: %v", resp.Errors[0])
		}
		out = append(out, resp.Bookmark)
	}
	return out
}

// commitBatch makes the writer commit n client writes in one batch.
func commitBatch(t *testing.T, e *Engine, n int) {
	t.Helper()
	var answers []<-chan *ExecResponse
	whileHeld(t, e, n, func() {
		for i := range n {
			answers = append(answers, insertAsync(e, fmt.Sprint("busy ", i)))
		}
	})
	if got := distinct(bookmarks(t, answers)); got != 1 {
		t.Fatalf("%d writes queued together went into %d change sets, want 1", n, got)
	}
}

// whileHeld holds the writer with a job while queue queues n requests, so
// that the writer takes them as one batch once the job ends.
func whileHeld(t *testing.T, e *Engine, n int, queue func()) {
	t.Helper()
	d, err := e.db("main")
	if err != nil {
		t.Fatal(err)
	}
	started, release := make(chan struct{}), make(chan struct{})
	job := make(chan error, 1)
	go func() {
		job <- e.writerJob(context.Background(), "main", func(*writer) error {
			close(started)
			<-release
			return nil
		})
	}()
	<-started
	queue()
	for len(d.writer.reqs) < n {
		time.Sleep(time.Millisecond)
	}
	close(release)
	if err := <-job; err != nil {
		t.Fatal(err)
	}
}

// lastBatch reads the writer's record of its last batch of kind k, on the
// writer's goroutine.
func lastBatch(t *testing.T, e *Engine, k batchKind) int {
	t.Helper()
	var n int
	if err := e.writerJob(context.Background(), "main", func(w *writer) error {
		n = w.lastBatch[k]
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

func distinct(bs []Bookmark) int {
	seen := map[Bookmark]bool{}
	for _, b := range bs {
		seen[b] = true
	}
	return len(seen)
}

// After a batch of four client writes the writer is busy: it holds the next
// batch open until it is twice as large, so eight writes that arrive apart,
// the first well before the others, commit as one change set. Without the
// window the first commits alone the moment it arrives.
func TestGroupCommitWindow_BusyWriterGathersMore(t *testing.T) {
	e := openWindowed(t, 10*time.Second) // far longer than the test: only the batch size ends the wait
	commitBatch(t, e, busyBatch)
	answers := []<-chan *ExecResponse{insertAsync(e, "first")}
	time.Sleep(100 * time.Millisecond) // an idle writer would have committed it by now
	for i := range 2*busyBatch - 1 {
		answers = append(answers, insertAsync(e, fmt.Sprint("next ", i)))
	}
	if got := distinct(bookmarks(t, answers)); got != 1 {
		t.Fatalf("%d writes after a busy batch went into %d change sets, want one batch", len(answers), got)
	}
	if got := lastBatch(t, e, kindClientWrite); got != 2*busyBatch {
		t.Fatalf("last client batch = %d, want %d", got, 2*busyBatch)
	}
}

// A lone client, or a few, never wait: batches below busyBatch do not hold
// the next one open.
func TestGroupCommitWindow_LoneClientsNeverWait(t *testing.T) {
	const window = 10 * time.Second
	e := openWindowed(t, window)
	commitBatch(t, e, busyBatch-1)
	for i := range 5 {
		start := time.Now()
		bookmarks(t, []<-chan *ExecResponse{insertAsync(e, fmt.Sprint("lone ", i))})
		if d := time.Since(start); d > window/2 {
			t.Fatalf("write %d of a lone client took %s: it waited for the group-commit window", i, d)
		}
	}
}

// An interactive transaction that arrives while a batch is held open ends
// the wait: the batch commits at once and the transaction begins, and writes
// that arrive later do not overtake it.
func TestGroupCommitWindow_TransactionEndsTheWait(t *testing.T) {
	const window = 10 * time.Second
	e := openWindowed(t, window)
	commitBatch(t, e, busyBatch)
	first := insertAsync(e, "held")
	time.Sleep(100 * time.Millisecond) // the batch of "held" is open now
	start := time.Now()
	tx, err := e.Begin(t.Context(), "main", TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > window/2 {
		t.Fatalf("the transaction began after %s: it waited for the window", d)
	}
	bookmarks(t, []<-chan *ExecResponse{first})
	later := insertAsync(e, "later")
	if _, err := tx.Exec(t.Context(), Statement{SQL: "INSERT INTO t(v) VALUES ('in tx')"}); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Commit(t.Context()); err != nil {
		t.Fatal(err)
	}
	bookmarks(t, []<-chan *ExecResponse{later})
	got := mustQuery(t, e, "SELECT v FROM t WHERE v IN ('held', 'in tx', 'later') ORDER BY id")
	if len(got) != 3 || got[0][0] != "held" || got[1][0] != "in tx" || got[2][0] != "later" {
		t.Fatalf("rows in id order %v, want held, in tx, later", got)
	}
}

// A batch whose requests were gathered with an interactive transaction
// queued behind them is not held: the transaction would wait the window
// out for nothing.
func TestGroupCommitWindow_QueuedTransactionIsNotHeld(t *testing.T) {
	const window = 10 * time.Second
	e := openWindowed(t, window)
	commitBatch(t, e, busyBatch)
	d, err := e.db("main")
	if err != nil {
		t.Fatal(err)
	}
	var first <-chan *ExecResponse
	began := make(chan error, 1)
	start := time.Now()
	whileHeld(t, e, 2, func() {
		first = insertAsync(e, "before the transaction")
		for len(d.writer.reqs) < 1 {
			time.Sleep(time.Millisecond)
		}
		go func() {
			tx, err := e.Begin(context.Background(), "main", TxOptions{})
			if err == nil {
				_, err = tx.Commit(context.Background())
			}
			began <- err
		}()
	})
	bookmarks(t, []<-chan *ExecResponse{first})
	if err := <-began; err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > window/2 {
		t.Fatalf("the batch and the transaction took %s: the batch waited for the window", d)
	}
}

// When the load stops, one batch at most waits out the window: it finds
// itself small, and the writer is no longer busy.
func TestGroupCommitWindow_OneBatchWaitsWhenLoadStops(t *testing.T) {
	e := openWindowed(t, 50*time.Millisecond)
	commitBatch(t, e, busyBatch)
	bookmarks(t, []<-chan *ExecResponse{insertAsync(e, "after the load")})
	if got := lastBatch(t, e, kindClientWrite); got != 1 {
		t.Fatalf("last client batch = %d, want 1: the writer still counts itself busy", got)
	}
}

// The window holds batches of change sets from peers the same way, and
// never mixes them with client writes.
func TestGroupCommitWindow_AppliesGatherToo(t *testing.T) {
	origin := openNode(t, "o")
	mustExec(t, origin, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
	for i := range 3 * busyBatch {
		mustExec(t, origin, fmt.Sprintf("INSERT INTO t(v) VALUES ('%d')", i))
	}
	sets := ownSets(t, origin)
	cfg := testConfig(t)
	cfg.NodeID, cfg.GroupCommitWindow = "r", 10*time.Second
	replica, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { replica.Close() })
	schema, rest := sets[:1], sets[1:]
	if err := replica.ApplyBatch(context.Background(), "main", schema); err != nil {
		t.Fatal(err)
	}
	applied := make(chan error, 1)
	whileHeld(t, replica, busyBatch, func() {
		go func() { applied <- replica.ApplyBatch(context.Background(), "main", rest[:busyBatch]) }()
	})
	if err := <-applied; err != nil {
		t.Fatal(err)
	}
	if n := lastBatch(t, replica, kindApply); n != busyBatch {
		t.Fatalf("first batch of applies = %d, want %d", n, busyBatch)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2*busyBatch)
	for i, cs := range rest[busyBatch : 3*busyBatch] {
		if i == 1 {
			time.Sleep(100 * time.Millisecond) // an idle writer would have applied the first alone
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- replica.ApplyBatch(context.Background(), "main", []*ChangeSet{cs})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := lastBatch(t, replica, kindApply); n != 2*busyBatch {
		t.Fatalf("last batch of applies = %d, want %d", n, 2*busyBatch)
	}
}
