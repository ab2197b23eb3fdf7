package cluster

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// change is what the tests read of a change event.
type change struct {
	ID     string // source.change_id
	Origin string
	Op     string
	Row    string // after.v, or before.v for a delete
}

// TestCluster_ChangesOnceInSSEAndNATS: changes made on node 2 (over HTTP)
// and on node 3 (by the sqlite3 shell writing its file) appear in node 1's
// SSE feed and in NATS JetStream, each exactly once: every node publishes
// the changes it originated, and Nats-Msg-Id makes a retried publish safe.
func TestCluster_ChangesOnceInSSEAndNATS(t *testing.T) {
	if _, err := exec.LookPath("sqlite3"); err != nil {
		t.Fatal("the sqlite3 shell is required (apt-get install sqlite3): scripts/test.sh installs it")
	}
	broker := startNATS(t)
	c := startCluster(t, 3, "--cdc-nats-url", broker, "--cdc-nats-create-stream")
	n1, n2, n3 := c.Nodes[0], c.Nodes[1], c.Nodes[2]
	n1.MustExec("main", "quorum", Stmt{SQL: "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)"})
	eventuallyHasTable(t, c.Nodes, "main", "t")

	feed := followChanges(t, n1, "t")
	n2.MustExec("main", "quorum",
		Stmt{SQL: "INSERT INTO t(id, v) VALUES (1, 'a'), (2, 'b'), (3, 'c')"},
		Stmt{SQL: "UPDATE t SET v = 'b2' WHERE id = 2"})
	n2.MustExec("main", "one", Stmt{SQL: "DELETE FROM t WHERE id = 3"})
	eventuallyConverged(t, c.Nodes, "main", "t")
	shell := exec.Command("sqlite3", "-cmd", ".timeout 5000", filepath.Join(n3.DataDir, "main.db"),
		"INSERT INTO t(id, v) VALUES (10, 'from-sqlite3')")
	if out, err := shell.CombinedOutput(); err != nil {
		t.Fatalf("sqlite3 write on n3: %v: %s", err, out)
	}
	// n1 applies the delete (a ONE push) before the QUORUM set when the push
	// overtakes the commit; then the late insert of row 3 lost there, changed
	// nothing, and is not in n1's feed. Either way, replaying the feed gives
	// n1's table.
	inOrder := "n2 c a, n2 c b, n2 c c, n2 u b2, n2 d c, n3 c from-sqlite3"
	overtaken := "n2 d c, n2 c a, n2 c b, n2 u b2, n3 c from-sqlite3"

	got := feed.waitFor(t, func(c change) bool { return c.Origin == "n3" }, 30*time.Second)
	if desc := describeChanges(got); desc != inOrder && desc != overtaken {
		t.Errorf("node 1's SSE feed:\n got %s\nwant %s\n  or %s", desc, inOrder, overtaken)
	}
	want := []string{"n2 c a", "n2 c b", "n2 c c", "n2 u b2", "n2 d c", "n3 c from-sqlite3"}
	var published []change
	eventually(t, 30*time.Second, "every change published to NATS", func() error {
		var err error
		if published, err = natsChanges(broker); err != nil {
			return err
		}
		if len(published) < len(want) {
			return fmt.Errorf("%d of %d changes in the stream", len(published), len(want))
		}
		return nil
	})
	time.Sleep(time.Second) // a duplicate, if any, has had time to arrive (not an assertion of timing)
	published, err := natsChanges(broker)
	if err != nil {
		t.Fatal(err)
	}
	// want is in the order of the changes' identities (origin, seq, index)
	if desc, want := describeChanges(sortByID(published)), strings.Join(want, ", "); desc != want {
		t.Errorf("NATS holds:\n %s\nwant every change once:\n %s", desc, want)
	}
	if missing := notIn(got, published); len(missing) > 0 {
		t.Errorf("changes in node 1's feed that NATS lacks: %s", describeChanges(missing))
	}
	if extra := feed.drain(); len(extra) > 0 {
		t.Errorf("node 1's SSE feed repeated changes: %s", describeChanges(extra))
	}
}

func describeChanges(cs []change) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.Origin + " " + c.Op + " " + c.Row
	}
	return strings.Join(parts, ", ")
}

// notIn returns the changes of a whose identity is not in b.
func notIn(a, b []change) []change {
	ids := map[string]bool{}
	for _, c := range b {
		ids[c.ID] = true
	}
	var out []change
	for _, c := range a {
		if !ids[c.ID] {
			out = append(out, c)
		}
	}
	return out
}

// sortByID orders changes by identity (NATS order across origins is free).
func sortByID(cs []change) []change {
	out := append([]change(nil), cs...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j].ID < out[i].ID {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// decodeChange reads the fields the tests check from an envelope.
func decodeChange(data []byte) (change, error) {
	var env struct {
		Before map[string]any `json:"before"`
		After  map[string]any `json:"after"`
		Op     string         `json:"op"`
		Source struct {
			ChangeID string `json:"change_id"`
			Origin   string `json:"origin"`
		} `json:"source"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		return change{}, fmt.Errorf("decode change event %q: %w", data, err)
	}
	row := env.After
	if row == nil {
		row = env.Before
	}
	return change{ID: env.Source.ChangeID, Origin: env.Source.Origin, Op: env.Op, Row: fmt.Sprint(row["v"])}, nil
}

// sseFeed collects the change events of one SSE stream.
type sseFeed struct {
	events chan change
	errs   chan error
}

// followChanges opens GET /v1/db/main/changes on n for table and reads it
// until the test ends.
func followChanges(t *testing.T, n *Node, table string) *sseFeed {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", n.URL()+"/v1/db/main/changes?tables="+table, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatalf("open the change feed of %s: %v", n.Name, err)
	}
	if resp.StatusCode != http.StatusOK {
		cancel()
		t.Fatalf("open the change feed of %s: status %d", n.Name, resp.StatusCode)
	}
	f := &sseFeed{events: make(chan change, 1000), errs: make(chan error, 1)}
	t.Cleanup(func() { cancel(); resp.Body.Close() })
	go f.read(bufio.NewScanner(resp.Body))
	return f
}

func (f *sseFeed) read(sc *bufio.Scanner) {
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	event := ""
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: ") && event == "change":
			c, err := decodeChange([]byte(strings.TrimPrefix(line, "data: ")))
			if err != nil {
				f.errs <- err
				return
			}
			f.events <- c
		case strings.HasPrefix(line, "data: ") && event == "error":
			f.errs <- errors.New("the stream ended with an error event: " + line)
			return
		case line == "":
			event = ""
		}
	}
}

// waitFor returns the events up to and including the first that last
// accepts, failing the test after timeout.
func (f *sseFeed) waitFor(t *testing.T, last func(change) bool, timeout time.Duration) []change {
	t.Helper()
	var got []change
	deadline := time.After(timeout)
	for {
		select {
		case c := <-f.events:
			got = append(got, c)
			if last(c) {
				return got
			}
		case err := <-f.errs:
			t.Fatal(err)
		case <-deadline:
			t.Fatalf("the last change event did not come within %s; got %s", timeout, describeChanges(got))
		}
	}
}

// drain returns the events received and not yet waited for.
func (f *sseFeed) drain() []change {
	var out []change
	for {
		select {
		case c := <-f.events:
			out = append(out, c)
		default:
			return out
		}
	}
}

// startNATS runs an embedded nats-server with JetStream on loopback for the
// test and returns its URL.
func startNATS(t *testing.T) string {
	t.Helper()
	srv, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true,
		StoreDir: t.TempDir(), NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server did not start")
	}
	t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
	return fmt.Sprintf("nats://%s", srv.Addr().(*net.TCPAddr))
}

// natsChanges reads every message of stream WARREN, checking that each
// carries its change identity as Nats-Msg-Id.
func natsChanges(url string) ([]change, error) {
	nc, err := nats.Connect(url)
	if err != nil {
		return nil, err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := js.Stream(ctx, "WARREN")
	if err != nil {
		return nil, fmt.Errorf("find stream WARREN: %w", err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		return nil, err
	}
	var out []change
	for seq := info.State.FirstSeq; info.State.Msgs > 0 && seq <= info.State.LastSeq; seq++ {
		m, err := st.GetMsg(ctx, seq)
		if err != nil {
			return nil, fmt.Errorf("read message %d: %w", seq, err)
		}
		c, err := decodeChange(m.Data)
		if err != nil {
			return nil, err
		}
		if id := m.Header.Get("Nats-Msg-Id"); id != c.ID {
			return nil, fmt.Errorf("message %d: Nats-Msg-Id %q, change_id %q", seq, id, c.ID)
		}
		if m.Subject != "warren.main.t" {
			return nil, fmt.Errorf("message %d on subject %q, want warren.main.t", seq, m.Subject)
		}
		out = append(out, c)
	}
	return out, nil
}
