package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// liveStream is an open GET /v1/db/main/live.
type liveStream struct {
	t      *testing.T
	events chan liveEvent
}

// liveEvent is one SSE event of a live query.
type liveEvent struct {
	name, id, data string
}

// openLive starts a live query on n; it fails the test unless the answer is
// an event stream.
func openLive(t *testing.T, n *node, sql string, params ...any) *liveStream {
	t.Helper()
	q := url.Values{"sql": {sql}}
	if len(params) > 0 {
		p, _ := json.Marshal(params)
		q.Set("params", string(p))
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", n.url+"/v1/db/main/live?"+q.Encode(), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("live %q: %d %s", sql, resp.StatusCode, body)
	}
	s := &liveStream{t: t, events: make(chan liveEvent, 100)}
	go s.read(resp.Body)
	return s
}

// read parses the stream into s.events, skipping comments and retry hints.
func (s *liveStream) read(body io.ReadCloser) {
	defer body.Close()
	defer close(s.events)
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var ev liveEvent
	for sc.Scan() {
		field, value, _ := strings.Cut(sc.Text(), ": ")
		switch field {
		case "event":
			ev.name = value
		case "id":
			ev.id = value
		case "data":
			ev.data = value
		case "":
			if ev.name != "" {
				s.events <- ev
			}
			ev = liveEvent{}
		}
	}
}

// expect checks the next event's name and data.
func (s *liveStream) expect(name, data string) liveEvent {
	s.t.Helper()
	select {
	case ev, ok := <-s.events:
		if !ok {
			s.t.Fatalf("the stream ended; want %s %s", name, data)
		}
		if ev.name != name || ev.data != data {
			s.t.Fatalf("event %s %s, want %s %s", ev.name, ev.data, name, data)
		}
		return ev
	case <-time.After(15 * time.Second):
		s.t.Fatalf("no event within 15s; want %s %s", name, data)
	}
	return liveEvent{}
}

func TestLive_HTTPAndDirectWrites(t *testing.T) {
	if _, err := exec.LookPath("sqlite3"); err != nil {
		t.Fatal("the sqlite3 shell is required (apt-get install sqlite3): .ci/run installs it")
	}
	n := startNode(t)
	n.exec("CREATE TABLE tasks(id INTEGER PRIMARY KEY, title TEXT, done INTEGER)")
	n.exec("INSERT INTO tasks VALUES (1, 'write', 0), (2, 'test', 1)")

	s := openLive(t, n, "SELECT title FROM tasks WHERE done = ? ORDER BY id", 0)
	s.expect("columns", `{"columns":["title"],"types":["TEXT"],"key":["id"],"mode":"incremental"}`)
	s.expect("rows", `{"rows":[["write"]],"keys":[[1]]}`)
	if ready := s.expect("ready", `{"pos":"`+n.logHead()+`"}`); ready.id == "" {
		t.Fatal("ready has no id")
	}

	n.exec("INSERT INTO tasks VALUES (3, 'ship', 0)")
	if ev := s.expect("insert", `{"key":[3],"row":["ship"]}`); ev.id == "" || !strings.Contains(ev.id, "-") {
		t.Fatalf("change event id %q, want a feed position", ev.id)
	}
	n.exec("UPDATE tasks SET done = 1 WHERE id = 1")
	s.expect("delete", `{"key":[1],"row":["write"]}`)

	// Another process writes the file directly, in one transaction.
	n.sqlite3("BEGIN; UPDATE tasks SET title = 'ship it' WHERE id = 3; UPDATE tasks SET done = 0 WHERE id = 2; COMMIT;")
	s.expect("update", `{"key":[3],"old":["ship"],"new":["ship it"]}`)
	s.expect("insert", `{"key":[2],"row":["test"]}`)

	// An aggregate is re-run on each change and diffed.
	agg := openLive(t, n, "SELECT count(*) AS open FROM tasks WHERE done = 0")
	agg.expect("columns", `{"columns":["open"],"types":[""],"key":null,"mode":"rerun"}`)
	agg.expect("rows", `{"rows":[[2]]}`)
	agg.skip("ready")
	n.exec("DELETE FROM tasks WHERE id = 3")
	s.expect("delete", `{"key":[3],"row":["ship it"]}`)
	agg.expect("delete", `{"row":[2]}`)
	agg.expect("insert", `{"row":[1]}`)
}

func TestLive_RefusesWritesAndUnknownTables(t *testing.T) {
	n := startNode(t)
	n.exec("CREATE TABLE t(id INTEGER PRIMARY KEY)")
	for sql, code := range map[string]string{
		"DELETE FROM t":                         "read_only",
		"SELECT * FROM t; DELETE FROM t":        "invalid_argument",
		"SELECT * FROM nowhere":                 "sql_error",
		"SELECT * FROM t WHERE nocol = 1":       "sql_error",
		"INSERT INTO t VALUES (1) RETURNING id": "read_only",
	} {
		var out execResp
		status := n.call("GET", "/v1/db/main/live?"+url.Values{"sql": {sql}}.Encode(), nil, &out)
		if status != 400 || out.Error == nil || out.Error.Code != code {
			t.Errorf("live %q: %d %+v, want 400 %s", sql, status, out.Error, code)
		}
	}
	var out execResp
	if status := n.call("GET", "/v1/db/nope/live?sql=SELECT+1", nil, &out); status != 404 || out.Error == nil || out.Error.Code != "not_found" {
		t.Errorf("live on an unknown database: %d %+v", status, out.Error)
	}
	if r := n.query("SELECT count(*) FROM t"); r.Rows[0][0] != float64(0) {
		t.Fatalf("a refused live query wrote: %v", r.Rows)
	}
}

func TestLive_ChangesReplicatedFromAPeer(t *testing.T) {
	a := startNode(t, "--node-id", "a", "--cluster-secret", "live-secret")
	b := startNode(t, "--node-id", "b", "--cluster-secret", "live-secret", "--join", a.arg("--gossip-addr"))
	a.execEventually("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
	deadline := time.Now().Add(20 * time.Second)
	for len(b.queryMaybe("SELECT name FROM sqlite_schema WHERE name = 't'")) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the table never reached b; logs:\n%s\n%s", a.logs(), b.logs())
		}
		time.Sleep(100 * time.Millisecond)
	}
	s := openLive(t, b, "SELECT v FROM t")
	s.expect("columns", `{"columns":["v"],"types":["TEXT"],"key":["id"],"mode":"incremental"}`)
	s.expect("rows", `{"rows":[],"keys":[]}`)
	s.skip("ready")
	a.execEventually("INSERT INTO t VALUES (1, 'from a')")
	s.expect("insert", `{"key":[1],"row":["from a"]}`)
}

// skip reads the next event, which must be name.
func (s *liveStream) skip(name string) {
	s.t.Helper()
	select {
	case ev := <-s.events:
		if ev.name != name {
			s.t.Fatalf("event %s %s, want %s", ev.name, ev.data, name)
		}
	case <-time.After(15 * time.Second):
		s.t.Fatalf("no %s event within 15s", name)
	}
}

// logHead returns the position of the node's newest change set.
func (n *node) logHead() string {
	n.t.Helper()
	b, _ := json.Marshal(n.query("SELECT coalesce(max(pos), 0) FROM __warren_log").Rows[0][0])
	return string(b)
}

// arg returns the value of one of the node's flags.
func (n *node) arg(flag string) string {
	for i := 0; i+1 < len(n.args); i++ {
		if n.args[i] == flag {
			return n.args[i+1]
		}
	}
	n.t.Fatalf("node has no %s", flag)
	return ""
}

// execEventually retries a write until the cluster takes it.
func (n *node) execEventually(sql string) {
	n.t.Helper()
	body := map[string]any{"statements": []any{map[string]any{"sql": sql}}}
	deadline := time.Now().Add(20 * time.Second)
	for {
		var out execResp
		if code := n.call("POST", "/v1/db/main/exec", body, &out); code == 200 {
			return
		} else if time.Now().After(deadline) {
			n.t.Fatalf("exec %s: %d %+v", sql, code, out.Error)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// queryMaybe runs a read and returns its rows, nil on failure.
func (n *node) queryMaybe(sql string) [][]any {
	var out queryResp
	if n.call("POST", "/v1/db/main/query", map[string]any{"sql": sql}, &out) != 200 {
		return nil
	}
	return out.Rows
}
