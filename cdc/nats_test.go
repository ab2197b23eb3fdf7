package cdc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

func testNATSConfig(n *natsServer) NATSConfig {
	return NATSConfig{URL: n.url(), CreateStream: true, AckTimeout: 2 * time.Second,
		MinReconnectWait: 10 * time.Millisecond, MaxReconnectWait: 100 * time.Millisecond,
		Logger: slog.New(slog.DiscardHandler)}
}

func newNATSSink(t testing.TB, cfg NATSConfig) *NATSSink {
	t.Helper()
	s, err := NewNATSSink(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// storedChange is what a test reads back of a stored message.
type storedChange struct {
	Subject, MsgID, ChangeID, Pos, Key string
}

func storedChanges(t *testing.T, js jetstream.JetStream) []storedChange {
	t.Helper()
	var out []storedChange
	for _, m := range streamMessages(t, js, "WARREN") {
		var env struct {
			After  map[string]any `json:"after"`
			Source struct {
				ChangeID string `json:"change_id"`
				Pos      string `json:"pos"`
			} `json:"source"`
		}
		if err := json.Unmarshal(m.Data, &env); err != nil {
			t.Fatalf("message %d: %v", m.Sequence, err)
		}
		out = append(out, storedChange{Subject: m.Subject, MsgID: m.Header.Get("Nats-Msg-Id"),
			ChangeID: env.Source.ChangeID, Pos: env.Source.Pos, Key: fmt.Sprint(env.After["id"])})
	}
	return out
}

// wantStoredOnce checks that the stream holds the inserts of ids
// from..to-1 each exactly once, in commit order, with their identity as
// Nats-Msg-Id.
func wantStoredOnce(t *testing.T, got []storedChange, from, to int) {
	t.Helper()
	if len(got) != to-from {
		t.Fatalf("stream holds %d messages, want %d", len(got), to-from)
	}
	var prev Position
	for i, c := range got {
		if c.Key != fmt.Sprint(from+i) {
			t.Fatalf("message %d is row %s, want row %d (lost, duplicated or out of order)", i, c.Key, from+i)
		}
		if c.Subject != "warren.main.t" || c.MsgID == "" || c.MsgID != c.ChangeID {
			t.Fatalf("message %d: subject %q, Nats-Msg-Id %q, change_id %q", i, c.Subject, c.MsgID, c.ChangeID)
		}
		pos, err := ParsePosition(c.Pos)
		if err != nil || (i > 0 && !prev.before(pos)) {
			t.Fatalf("message %d at %s after %s", i, c.Pos, prev)
		}
		prev = pos
	}
}

func TestNATSSink_EveryChangeOnceAcrossBrokerRestart(t *testing.T) {
	n := startNATS(t)
	e := openEngine(t)
	f := NewFeed(e, Options{Cluster: "c1"})
	exec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY)")
	sink := newNATSSink(t, testNATSConfig(n))
	cfg := testPublisherConfig(t)
	cfg.BatchSize = 16
	p := startPublisher(t, f, sink, cfg)
	js := jsClient(t, n)

	insertRows(t, e, "main", 0, 100)
	waitFor(t, "the first 100 changes", func() bool { return streamCount(js, "WARREN") == 100 })
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // writes never wait for the broker
		defer wg.Done()
		insertRows(t, e, "main", 100, 300)
	}()
	n.stop()
	waitFor(t, "the publisher to notice", func() bool { return !p.Connected() })
	wg.Wait()
	insertRows(t, e, "main", 300, 400)
	if st := p.Stats()[0]; st.Lag == 0 {
		t.Fatalf("lag %d with the broker down", st.Lag)
	}
	n.start(t)
	js = jsClient(t, n)
	waitFor(t, "every change", func() bool { return streamCount(js, "WARREN") >= 400 })
	waitFor(t, "lag 0", func() bool { return p.Stats()[0].Lag == 0 && p.Connected() })
	wantStoredOnce(t, storedChanges(t, js), 0, 400)
}

func TestNATSSink_RepublishIsDeduplicated(t *testing.T) {
	n := startNATS(t)
	e := openEngine(t)
	f := NewFeed(e, Options{})
	exec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY)")
	insertRows(t, e, "main", 0, 10)
	var batch []Message
	p := NewPublisher(f, nil, testPublisherConfig(t))
	if _, err := f.Catch(t.Context(), "main", End(1), Filter{}, func(ev *Event) error {
		m, err := p.render(t.Context(), ev)
		batch = append(batch, m)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	sink := newNATSSink(t, testNATSConfig(n))
	defer sink.Close()
	for range 2 { // the second time as after a lost ack or a restart
		if acked, err := sink.Publish(t.Context(), batch); acked != 10 || err != nil {
			t.Fatalf("Publish = %d, %v", acked, err)
		}
	}
	if sink.Duplicates() != 10 {
		t.Fatalf("%d duplicates acknowledged, want 10", sink.Duplicates())
	}
	wantStoredOnce(t, storedChanges(t, jsClient(t, n)), 0, 10)
	if got := sink.Subject("my db", "a.b>*"); got != "warren.my_db.a_b__" {
		t.Fatalf("subject %q", got)
	}
}

func TestNATSSink_WaitsForMissingStream(t *testing.T) {
	n := startNATS(t)
	e := openEngine(t)
	f := NewFeed(e, Options{})
	exec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY)")
	var logs syncBuffer
	cfg := testNATSConfig(n)
	cfg.CreateStream = false
	cfg.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	p := startPublisher(t, f, newNATSSink(t, cfg), testPublisherConfig(t))
	insertRows(t, e, "main", 0, 5)
	waitFor(t, "the error", func() bool { return strings.Contains(logs.String(), "jetstream stream missing") })
	time.Sleep(100 * time.Millisecond) // retries
	if c := strings.Count(logs.String(), "jetstream stream missing"); c != 1 {
		t.Fatalf("missing stream logged %d times, want once:\n%s", c, logs.String())
	}
	if st := p.Stats()[0]; !st.Failing || st.Lag != 5 {
		t.Fatalf("stats %+v, want failing with lag 5", st)
	}
	js := jsClient(t, n)
	if _, err := js.CreateStream(t.Context(), jetstream.StreamConfig{Name: "WARREN", Subjects: []string{"warren.>"}}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the changes", func() bool { return streamCount(js, "WARREN") == 5 })
	wantStoredOnce(t, storedChanges(t, js), 0, 5)
}

// syncBuffer is a log sink tests read while loggers write.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
