package cdc

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/warren-db/warren/engine"
)

// memSink is a broker in memory: it stores each message ID once, like a
// JetStream stream with a duplicate window, and can be told to fail.
type memSink struct {
	mu       sync.Mutex
	down     bool
	partial  int // ack only this many of the next batch, then fail (0: off)
	stored   []Message
	ids      map[string]bool
	attempts int
	closed   bool
}

func newMemSink() *memSink { return &memSink{ids: map[string]bool{}} }

func (s *memSink) Publish(ctx context.Context, batch []Message) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.attempts++
	if s.down {
		return 0, errors.New("broker down")
	}
	n := len(batch)
	if s.partial > 0 && s.partial < n {
		n, s.partial = s.partial, 0
	}
	for _, m := range batch[:n] {
		if !s.ids[m.ID] {
			s.ids[m.ID] = true
			s.stored = append(s.stored, m)
		}
	}
	if n < len(batch) {
		return n, errors.New("connection lost mid-batch")
	}
	return n, nil
}

func (s *memSink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return nil
}

func (s *memSink) setDown(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = down
}

func (s *memSink) messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.stored)
}

func testPublisherConfig(t *testing.T) PublisherConfig {
	return PublisherConfig{Name: "test", CursorPath: filepath.Join(t.TempDir(), "cdc", "test-cursor.json"),
		PollInterval: 20 * time.Millisecond, MinBackoff: 2 * time.Millisecond, MaxBackoff: 20 * time.Millisecond,
		Logger: slog.New(slog.DiscardHandler)}
}

func startPublisher(t *testing.T, f *Feed, sink Sink, cfg PublisherConfig) *Publisher {
	t.Helper()
	p := NewPublisher(f, sink, cfg)
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// waitFor polls cond until it holds or 10 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// insertRows inserts rows ids from..to-1 of table t of db, one transaction each.
func insertRows(t *testing.T, e *engine.Engine, db string, from, to int) {
	t.Helper()
	for i := from; i < to; i++ {
		st := engine.Statement{SQL: fmt.Sprintf("INSERT INTO t(id) VALUES (%d)", i)}
		if _, err := e.Exec(context.Background(), db, []engine.Statement{st}, engine.ExecOptions{}); err != nil {
			t.Fatal(err)
		}
	}
}

// wantInOrder checks that msgs are exactly the inserts of ids from..to-1
// of db's table t, each once, in commit order.
func wantInOrder(t *testing.T, msgs []Message, db string, from, to int) {
	t.Helper()
	var got []string
	for _, m := range msgs {
		if m.DB == db {
			got = append(got, string(m.Key))
		}
	}
	var want []string
	for i := from; i < to; i++ {
		want = append(want, fmt.Sprintf(`{"id":%d}`, i))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("%s: published keys\n got %v\nwant %v", db, got, want)
	}
	for i := 1; i < len(msgs); i++ {
		if msgs[i].DB == msgs[i-1].DB && !msgs[i-1].Pos.before(msgs[i].Pos) {
			t.Fatalf("out of order: %v after %v", msgs[i].Pos, msgs[i-1].Pos)
		}
	}
}

func TestPublisher_StartsAtHeadAndSurvivesOutages(t *testing.T) {
	e := openEngine(t)
	f := NewFeed(e, Options{Cluster: "c1"})
	exec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY)")
	insertRows(t, e, "main", 0, 5) // before the first start: not published
	sink := newMemSink()
	p := startPublisher(t, f, sink, testPublisherConfig(t))

	insertRows(t, e, "main", 5, 20)
	waitFor(t, "the first events", func() bool { return len(sink.messages()) == 15 })
	sink.setDown(true)
	insertRows(t, e, "main", 20, 40) // waits in the log
	sink.mu.Lock()
	before := sink.attempts
	sink.mu.Unlock()
	waitFor(t, "retries", func() bool { sink.mu.Lock(); defer sink.mu.Unlock(); return sink.attempts > before+5 })
	if st := p.Stats()[0]; !st.Failing || st.Lag != 20 || p.Connected() {
		t.Fatalf("during the outage: %+v connected=%v, want failing with a lag of 20 change sets", st, p.Connected())
	}
	sink.mu.Lock()
	sink.down, sink.partial = false, 3 // comes back, then drops the connection once mid-batch
	sink.mu.Unlock()
	insertRows(t, e, "main", 40, 50)
	waitFor(t, "every event", func() bool { return len(sink.messages()) == 45 })
	wantInOrder(t, sink.messages(), "main", 5, 50)
	m := sink.messages()[0]
	if m.Table != "t" || m.ID != fmt.Sprintf("main:%s:%d:0", e.NodeID(), 7) || !strings.Contains(string(m.Value), `"change_id":"`+m.ID+`"`) {
		t.Fatalf("message %+v, value %s", m, m.Value)
	}
	waitFor(t, "lag 0", func() bool { st := p.Stats()[0]; return st.Lag == 0 && st.Published == 45 && !st.Failing })
}

func TestPublisher_ResumesFromSavedCursor(t *testing.T) {
	e := openEngine(t)
	f := NewFeed(e, Options{})
	exec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY)")
	cfg := testPublisherConfig(t)
	sink := newMemSink()
	p := startPublisher(t, f, sink, cfg)
	insertRows(t, e, "main", 0, 10)
	waitFor(t, "events", func() bool { return len(sink.messages()) == 10 })
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if !sink.closed {
		t.Fatal("Close did not close the sink")
	}
	saved, err := loadCursors(cfg.CursorPath)
	if err != nil {
		t.Fatal(err)
	}
	head, _ := e.LogHead("main")
	if saved["main"] != End(head) {
		t.Fatalf("saved cursor %v, want %v", saved["main"], End(head))
	}

	insertRows(t, e, "main", 10, 15) // while stopped
	// A new sink that does not deduplicate against the old one's history:
	// only what came after the cursor may reach it.
	sink2 := newMemSink()
	startPublisher(t, f, sink2, cfg)
	insertRows(t, e, "main", 15, 20)
	waitFor(t, "events after restart", func() bool { return len(sink2.messages()) == 10 })
	time.Sleep(50 * time.Millisecond) // nothing more comes
	wantInOrder(t, sink2.messages(), "main", 10, 20)
}

func TestPublisher_HoldKeepsUnpublishedChangesFromGC(t *testing.T) {
	e := openEngine(t)
	f := NewFeed(e, Options{})
	exec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY)")
	start, _ := e.LogHead("main")
	sink := newMemSink()
	sink.setDown(true)
	startPublisher(t, f, sink, testPublisherConfig(t))
	insertRows(t, e, "main", 0, 30)
	time.Sleep(2 * time.Millisecond) // older than the retention below
	res, err := e.GC(t.Context(), "main", engine.GCOptions{MinRetention: 0, MaxRetention: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Sets > start { // only the sets before the publisher's start may go
		t.Fatalf("GC removed %d change sets, the publisher needs all but the first %d", res.Sets, start)
	}
	sink.setDown(false)
	waitFor(t, "every event", func() bool { return len(sink.messages()) == 30 })
	wantInOrder(t, sink.messages(), "main", 0, 30)
	waitFor(t, "the hold to move", func() bool {
		res, err := e.GC(t.Context(), "main", engine.GCOptions{MaxRetention: time.Millisecond})
		return err == nil && res.Sets > 0 // published: GC may trim them now
	})
}

func TestPublisher_FollowsCreatedAndDroppedDatabases(t *testing.T) {
	e := openEngine(t)
	f := NewFeed(e, Options{})
	cfg := testPublisherConfig(t)
	cfg.Tables = []string{"t", "other.u"}
	sink := newMemSink()
	p := startPublisher(t, f, sink, cfg)
	if err := e.CreateDatabase("other"); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{"CREATE TABLE t(id INTEGER PRIMARY KEY)", "CREATE TABLE u(id INTEGER PRIMARY KEY)",
		"INSERT INTO t(id) VALUES (1)", "INSERT INTO u(id) VALUES (2)"} {
		if _, err := e.Exec(t.Context(), "other", []engine.Statement{{SQL: sql}}, engine.ExecOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	exec(t, e, "CREATE TABLE u(id INTEGER PRIMARY KEY)", "INSERT INTO u(id) VALUES (3)") // u of main: filtered out
	exec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY)", "INSERT INTO t(id) VALUES (4)")
	waitFor(t, "the events of both databases", func() bool { return len(sink.messages()) == 3 })
	var got []string
	for _, m := range sink.messages() {
		got = append(got, m.DB+"."+m.Table+string(m.Key))
	}
	slices.Sort(got)
	if want := []string{`main.t{"id":4}`, `other.t{"id":1}`, `other.u{"id":2}`}; !slices.Equal(got, want) {
		t.Fatalf("published %v, want %v", got, want)
	}
	if err := e.DropDatabase("other"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the dropped database to go", func() bool { return len(p.Stats()) == 1 })
	waitFor(t, "its cursor to go from the file", func() bool {
		saved, err := loadCursors(cfg.CursorPath)
		_, found := saved["other"]
		return err == nil && !found && len(saved) == 1
	})
}

func TestPublisher_FilterByOrigin(t *testing.T) {
	e := openEngine(t)
	f := NewFeed(e, Options{})
	cfg := testPublisherConfig(t)
	p := NewPublisher(f, newMemSink(), cfg)
	if flt := p.filter("main"); flt.Origin != e.NodeID() || flt.Tables != nil {
		t.Fatalf("default filter %+v, want this node's changes of every table", flt)
	}
	cfg.AllOrigins, cfg.Tables = true, []string{"a", "main.b", "other.c"}
	p = NewPublisher(f, newMemSink(), cfg)
	if flt := p.filter("main"); flt.Origin != "" || !flt.Tables["a"] || !flt.Tables["b"] || flt.Tables["c"] || len(flt.Tables) != 2 {
		t.Fatalf("filter %+v", flt)
	}
}

func TestCursors_SaveAndLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cdc", "c.json")
	if got, err := loadCursors(path); err != nil || len(got) != 0 {
		t.Fatalf("missing file: %v, %v", got, err)
	}
	want := map[string]Position{"main": {Pos: 12, Index: 3}, "b": End(7)}
	if err := saveCursors(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := loadCursors(path)
	if err != nil || len(got) != 2 || got["main"] != want["main"] || got["b"] != want["b"] {
		t.Fatalf("loaded %v, %v; want %v", got, err, want)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("cursor dir holds %d files, want only the cursor file (no temp files left)", len(entries))
	}
	if err := os.WriteFile(path, []byte(`{"databases":{"main":"x"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := loadCursors(path); err == nil {
		t.Fatal("a corrupt cursor file loaded")
	}
}
