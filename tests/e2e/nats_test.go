package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// broker is an embedded JetStream server that a test stops and starts
// again on the same port and store, as an operator restarting NATS would.
type broker struct {
	t     *testing.T
	port  int
	store string
	srv   *server.Server
}

func startBroker(t *testing.T) *broker {
	b := &broker{t: t, port: -1, store: t.TempDir()}
	b.start()
	b.port = b.srv.Addr().(*net.TCPAddr).Port
	t.Cleanup(b.stop)
	return b
}

func (b *broker) start() {
	srv, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: b.port, JetStream: true,
		StoreDir: b.store, NoLog: true, NoSigs: true})
	if err != nil {
		b.t.Fatal(err)
	}
	srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		b.t.Fatal("nats-server did not start")
	}
	b.srv = srv
}

func (b *broker) stop() {
	if b.srv != nil {
		b.srv.Shutdown()
		b.srv.WaitForShutdown()
		b.srv = nil
	}
}

func (b *broker) url() string { return "nats://127.0.0.1:" + strconv.Itoa(b.port) }

// stored is a change as the stream holds it.
type stored struct {
	seq      uint64
	subject  string
	msgID    string
	changeID string
	pos      string
	row      string
}

// streamed reads every message of stream WARREN.
func (b *broker) streamed() ([]stored, error) {
	nc, err := nats.Connect(b.url())
	if err != nil {
		return nil, err
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := js.Stream(ctx, "WARREN")
	if err != nil {
		return nil, err
	}
	info, err := st.Info(ctx)
	if err != nil {
		return nil, err
	}
	var out []stored
	for seq := info.State.FirstSeq; info.State.Msgs > 0 && seq <= info.State.LastSeq; seq++ {
		m, err := st.GetMsg(ctx, seq)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		var env struct {
			After  map[string]json.Number `json:"after"`
			Source struct {
				ChangeID string `json:"change_id"`
				Pos      string `json:"pos"`
			} `json:"source"`
		}
		dec := json.NewDecoder(strings.NewReader(string(m.Data)))
		dec.UseNumber()
		if err := dec.Decode(&env); err != nil {
			return nil, fmt.Errorf("message %d: %w", seq, err)
		}
		out = append(out, stored{seq: seq, subject: m.Subject, msgID: m.Header.Get("Nats-Msg-Id"),
			changeID: env.Source.ChangeID, pos: env.Source.Pos, row: env.After["id"].String()})
	}
	return out, nil
}

// insertRange inserts rows from..to-1 into t, one request each, and
// returns the slowest request.
func (n *node) insertRange(from, to int) time.Duration {
	n.t.Helper()
	var slowest time.Duration
	for i := from; i < to; i++ {
		start := time.Now()
		n.exec("INSERT INTO t(id) VALUES (?)", i)
		slowest = max(slowest, time.Since(start))
	}
	return slowest
}

// kill stops warren at once (SIGKILL): no graceful shutdown, the cursor
// file is whatever was saved last.
func (n *node) kill() {
	n.t.Helper()
	_ = n.cmd.Process.Kill()
	<-n.exited
	n.cmd = nil
}

// waitStored waits until the stream holds want messages (or more).
func waitStored(t *testing.T, b *broker, want int) []stored {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		got, err := b.streamed()
		if err == nil && len(got) >= want {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("stream holds %d messages (%v), want %d", len(got), err, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// checkExactlyOnceInOrder checks that the stream holds rows 0..want-1 of
// table t, each once, in commit order, with Nats-Msg-Id = change_id.
func checkExactlyOnceInOrder(t *testing.T, got []stored, want int) {
	t.Helper()
	if len(got) != want {
		t.Fatalf("stream holds %d messages, want %d", len(got), want)
	}
	ids := map[string]bool{}
	lastPos := int64(-1)
	for i, m := range got {
		if m.row != strconv.Itoa(i) {
			t.Fatalf("message %d (seq %d) is row %s, want row %d: lost, duplicated or out of order", i, m.seq, m.row, i)
		}
		if m.subject != "warren.main.t" || m.msgID != m.changeID || ids[m.changeID] {
			t.Fatalf("message %d: subject %q, Nats-Msg-Id %q, change_id %q (seen before: %v)",
				i, m.subject, m.msgID, m.changeID, ids[m.changeID])
		}
		ids[m.changeID] = true
		pos, err := strconv.ParseInt(strings.SplitN(m.pos, "-", 2)[0], 10, 64)
		if err != nil || pos <= lastPos {
			t.Fatalf("message %d at position %s after %d", i, m.pos, lastPos)
		}
		lastPos = pos
	}
}

func TestNATS_BrokerOutageAndRestartsLoseAndDuplicateNothing(t *testing.T) {
	b := startBroker(t)
	n := startNode(t, "--cdc-nats-url", b.url(), "--cdc-nats-create-stream")
	n.exec("CREATE TABLE t(id INTEGER PRIMARY KEY)")

	n.insertRange(0, 100)
	waitStored(t, b, 100)

	b.stop() // the broker goes away in the middle of the load
	if slowest := n.insertRange(100, 250); slowest > 2*time.Second {
		t.Errorf("a write took %v while the broker was down: writes must not wait for it", slowest)
	}
	metrics := n.metrics()
	if !strings.Contains(metrics, "warren_cdc_nats_connected 0") || strings.Contains(metrics, `warren_cdc_nats_lag_events{db="main"} 0`) {
		t.Errorf("metrics while the broker is down:\n%s", metrics)
	}
	b.start() // same port, same store
	n.insertRange(250, 300)
	waitStored(t, b, 300)

	b.stop() // a backlog waits in the log when warren crashes
	n.insertRange(300, 400)
	n.kill()
	b.start()
	n.start()
	n.insertRange(400, 450)
	waitStored(t, b, 450)

	n.insertRange(450, 600)
	n.kill() // while the last writes may still be in flight to the broker
	n.start()
	n.insertRange(600, 650)
	n.stop() // and once gracefully
	n.start()
	n.insertRange(650, 700)

	checkExactlyOnceInOrder(t, waitStored(t, b, 700), 700)
	time.Sleep(200 * time.Millisecond) // nothing more arrives
	got, err := b.streamed()
	if err != nil {
		t.Fatal(err)
	}
	checkExactlyOnceInOrder(t, got, 700)
	if !strings.Contains(n.logs(), "cdc publish failed; retrying") || !strings.Contains(n.logs(), "cdc publish recovered") {
		t.Errorf("the outage is not in the log:\n%s", n.logs())
	}
}

// metrics returns the node's /metrics text.
func (n *node) metrics() string {
	n.t.Helper()
	resp, err := http.Get(n.url + "/metrics")
	if err != nil {
		n.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		n.t.Fatalf("GET /metrics: %d %v", resp.StatusCode, err)
	}
	return string(body)
}
