package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sseBlock is one SSE block of a change stream.
type sseBlock struct {
	id, event, data string
	hasID           bool
}

// envelope is the part of a change event the tests check.
type envelope struct {
	Before map[string]any `json:"before"`
	After  map[string]any `json:"after"`
	Op     string         `json:"op"`
	TsMs   int64          `json:"ts_ms"`
	Source struct {
		Connector string `json:"connector"`
		Name      string `json:"name"`
		Snapshot  string `json:"snapshot"`
		DB        string `json:"db"`
		Table     string `json:"table"`
		Origin    string `json:"origin"`
		Seq       uint64 `json:"seq"`
		HLC       string `json:"hlc"`
		ChangeID  string `json:"change_id"`
		Pos       string `json:"pos"`
	} `json:"source"`
}

// change is one received change event.
type change struct {
	sseBlock
	env envelope
}

// String describes a change for comparisons: table, op, key.
func (c change) String() string {
	row := c.env.After
	if row == nil {
		row = c.env.Before
	}
	return fmt.Sprintf("%s/%s/%v", c.env.Source.Table, c.env.Op, row["id"])
}

// stream is an open GET /v1/db/{db}/changes.
type stream struct {
	t      *testing.T
	cancel context.CancelFunc
	blocks chan sseBlock
}

// changes opens a change stream of database main with the query and
// header pairs given; it fails the test unless the answer is 200.
func (n *node) changes(query string, header ...string) *stream {
	n.t.Helper()
	s, status, body := n.openChanges("main", query, header...)
	if status != http.StatusOK {
		n.t.Fatalf("changes?%s: status %d %s", query, status, body)
	}
	return s
}

// openChanges opens a change stream of db; on a status other than 200 it
// returns the status and the body.
func (n *node) openChanges(db, query string, header ...string) (*stream, int, string) {
	n.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", n.url+"/v1/db/"+db+"/changes?"+query, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		n.t.Fatalf("open changes: %v", err)
	}
	if resp.StatusCode != http.StatusOK {
		defer cancel()
		defer resp.Body.Close()
		var b strings.Builder
		bufio.NewReader(resp.Body).WriteTo(&b)
		return nil, resp.StatusCode, b.String()
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		n.t.Fatalf("changes content type %q", ct)
	}
	s := &stream{t: n.t, cancel: cancel, blocks: make(chan sseBlock, 1024)}
	go s.read(resp)
	n.t.Cleanup(s.close)
	return s, resp.StatusCode, ""
}

// read parses the stream into blocks until it ends.
func (s *stream) read(resp *http.Response) {
	defer close(s.blocks)
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var b sseBlock
	var data []string
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			b.data = strings.Join(data, "\n")
			if b.event != "" {
				s.blocks <- b
			}
			b, data = sseBlock{}, nil
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "id":
			b.id, b.hasID = value, true
		case "event":
			b.event = value
		case "data":
			data = append(data, value)
		}
	}
}

// close disconnects.
func (s *stream) close() { s.cancel() }

// next returns the next change event; an error event fails the test.
func (s *stream) next() change {
	s.t.Helper()
	select {
	case b, ok := <-s.blocks:
		if !ok {
			s.t.Fatal("the change stream ended")
		}
		if b.event != "change" {
			s.t.Fatalf("got %s event: %s", b.event, b.data)
		}
		c := change{sseBlock: b}
		if err := json.Unmarshal([]byte(b.data), &c.env); err != nil {
			s.t.Fatalf("decode change %q: %v", b.data, err)
		}
		return c
	case <-time.After(10 * time.Second):
		s.t.Fatal("no change event within 10s")
	}
	return change{}
}

// final returns the data of the stream's final error event, and checks
// that the stream ends after it.
func (s *stream) final() string {
	s.t.Helper()
	select {
	case b, ok := <-s.blocks:
		if !ok || b.event != "error" {
			s.t.Fatalf("got %q event %s, want the final error", b.event, b.data)
		}
		if _, more := <-s.blocks; more {
			s.t.Fatal("the stream goes on after its final error")
		}
		return b.data
	case <-time.After(10 * time.Second):
		s.t.Fatal("no final error within 10s")
	}
	return ""
}

// take returns the next n change events.
func (s *stream) take(n int) []change {
	s.t.Helper()
	out := make([]change, n)
	for i := range out {
		out[i] = s.next()
	}
	return out
}

// quiet fails the test if an event arrives within d.
func (s *stream) quiet(d time.Duration) {
	s.t.Helper()
	select {
	case b, ok := <-s.blocks:
		if ok {
			s.t.Fatalf("unexpected %s event: id %q %s", b.event, b.id, b.data)
		}
	case <-time.After(d):
	}
}

// describe joins the descriptions of changes.
func describe(cs []change) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.String()
	}
	return strings.Join(parts, " ")
}

// ids joins the SSE ids of changes.
func ids(cs []change) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.id
	}
	return strings.Join(parts, " ")
}

// execTx runs statements as one transaction.
func (n *node) execTx(sqls ...string) {
	n.t.Helper()
	sts := make([]any, len(sqls))
	for i, s := range sqls {
		sts[i] = map[string]any{"sql": s}
	}
	var out execResp
	if code := n.call("POST", "/v1/db/main/exec", map[string]any{"statements": sts}, &out); code != 200 {
		n.t.Fatalf("exec %v: status %d %+v", sqls, code, out.Error)
	}
}

func TestChanges_InsertUpdateDeleteEnvelopes(t *testing.T) {
	n := startNode(t, "--cluster-name", "e2e")
	var cluster struct {
		NodeID string `json:"node_id"`
	}
	n.call("GET", "/v1/cluster", nil, &cluster)
	n.exec("CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT, data BLOB)")
	s := n.changes("") // from the head: only what follows
	n.exec("INSERT INTO items(id, name, data) VALUES (1, 'pen', x'00ff10')")
	n.exec("UPDATE items SET name = 'ink pen' WHERE id = 1")
	n.exec("DELETE FROM items WHERE id = 1")
	got := s.take(3)
	if d := describe(got); d != "items/c/1 items/u/1 items/d/1" {
		t.Fatalf("changes %s", d)
	}
	ins, upd, del := got[0].env, got[1].env, got[2].env
	if ins.Before != nil || ins.After["name"] != "pen" || ins.After["data"] != "AP8Q" {
		t.Errorf("insert before %v after %v (BLOBs are base64)", ins.Before, ins.After)
	}
	if upd.Before["name"] != "pen" || upd.After["name"] != "ink pen" {
		t.Errorf("update before %v after %v", upd.Before, upd.After)
	}
	if del.Before["name"] != "ink pen" || del.After != nil {
		t.Errorf("delete before %v after %v", del.Before, del.After)
	}
	for _, c := range got {
		src := c.env.Source
		if src.Connector != "warren" || src.Name != "e2e" || src.DB != "main" || src.Table != "items" || src.Snapshot != "false" {
			t.Errorf("source block %+v", src)
		}
		if src.Origin != cluster.NodeID || src.Seq == 0 || src.HLC == "" || c.env.TsMs == 0 {
			t.Errorf("origin %q (node %q), seq %d, hlc %q, ts_ms %d", src.Origin, cluster.NodeID, src.Seq, src.HLC, c.env.TsMs)
		}
		if want := fmt.Sprintf("main:%s:%d:0", src.Origin, src.Seq); src.ChangeID != want {
			t.Errorf("change_id %q, want %q", src.ChangeID, want)
		}
		if !c.hasID || c.id != src.Pos || !strings.HasSuffix(c.id, "-0") {
			t.Errorf("SSE id %q, source.pos %q", c.id, src.Pos)
		}
	}
	s.quiet(200 * time.Millisecond)
}

func TestChanges_ResumeWithLastEventIDHasNoGapOrDuplicate(t *testing.T) {
	n := startNode(t)
	n.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
	whole := n.changes("") // stays connected: the reference
	s := n.changes("")
	n.exec("INSERT INTO t VALUES (1, 'a')")
	n.execTx("INSERT INTO t VALUES (2, 'b')", "INSERT INTO t VALUES (3, 'c')", "INSERT INTO t VALUES (4, 'd')")
	seen := s.take(3) // 1, then 2 and 3 of the three-row change set
	s.close()
	last := seen[2].id
	if !strings.HasSuffix(last, "-1") {
		t.Fatalf("the second row of a change set has id %q", last)
	}

	// written while the client is away
	n.exec("UPDATE t SET v = 'z' WHERE id = 1")
	n.execTx("DELETE FROM t WHERE id = 2", "INSERT INTO t VALUES (5, 'e')")

	again := n.changes("from=0", "Last-Event-ID", last) // the header wins over from
	missed := again.take(4)
	if d := describe(missed); d != "t/c/4 t/u/1 t/d/2 t/c/5" {
		t.Fatalf("after reconnecting: %s", d)
	}
	again.quiet(300 * time.Millisecond)

	all := whole.take(7)
	if got, want := ids(append(seen, missed...)), ids(all); got != want {
		t.Fatalf("ids across the reconnect %s, want %s", got, want)
	}

	// from= alone resumes the same way
	byParam := n.changes("from=" + last)
	if d := describe(byParam.take(4)); d != "t/c/4 t/u/1 t/d/2 t/c/5" {
		t.Fatalf("from=%s: %s", last, d)
	}
}

func TestChanges_SnapshotThenLiveChanges(t *testing.T) {
	n := startNode(t)
	n.exec("CREATE TABLE a(id INTEGER PRIMARY KEY, v TEXT)")
	n.exec("CREATE TABLE b(id INTEGER PRIMARY KEY, v TEXT)")
	n.execTx("INSERT INTO a VALUES (1, 'x')", "INSERT INTO a VALUES (2, 'y')", "INSERT INTO b VALUES (9, 'z')")
	n.exec("UPDATE a SET v = 'x2' WHERE id = 1")

	s := n.changes("snapshot=true")
	rows := s.take(3)
	if d := describe(rows); d != "a/r/1 a/r/2 b/r/9" {
		t.Fatalf("snapshot %s", d)
	}
	if rows[0].env.After["v"] != "x2" || rows[0].env.Before != nil {
		t.Errorf("snapshot row %+v", rows[0].env)
	}
	for i, r := range rows[:2] {
		if r.hasID || r.env.Source.Snapshot != "true" {
			t.Errorf("snapshot row %d: id %q, source.snapshot %q", i, r.id, r.env.Source.Snapshot)
		}
	}
	end := rows[2]
	if !end.hasID || end.id == "" || strings.Contains(end.id, "-") || end.env.Source.Snapshot != "last" {
		t.Fatalf("last snapshot row: id %q, source.snapshot %q", end.id, end.env.Source.Snapshot)
	}

	n.exec("INSERT INTO a VALUES (3, 'w')")
	live := s.next()
	if live.String() != "a/c/3" || live.id != fmt.Sprintf("%d-0", atoi(t, end.id)+1) {
		t.Fatalf("first live change %s id %q after snapshot id %q", live, live.id, end.id)
	}
	s.quiet(200 * time.Millisecond)

	// a client that reconnects with the snapshot's id gets no snapshot again
	again := n.changes("snapshot=true", "Last-Event-ID", end.id)
	if c := again.next(); c.String() != "a/c/3" {
		t.Fatalf("resume after the snapshot: %s", c)
	}

	// filters apply to the snapshot too
	onlyB := n.changes("snapshot=true&tables=b")
	if d := describe(onlyB.take(1)); d != "b/r/9" {
		t.Fatalf("snapshot of b: %s", d)
	}
	onlyB.quiet(200 * time.Millisecond)
}

func atoi(t *testing.T, s string) int {
	var v int
	if _, err := fmt.Sscan(s, &v); err != nil {
		t.Fatalf("position %q: %v", s, err)
	}
	return v
}

func TestChanges_DirectSQLiteWriteAppears(t *testing.T) {
	if _, err := exec.LookPath("sqlite3"); err != nil {
		t.Fatal("the sqlite3 shell is required (apt-get install sqlite3): .ci/run installs it")
	}
	n := startNode(t)
	n.exec("CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT)")
	s := n.changes("")
	n.sqlite3("INSERT INTO notes(id, body) VALUES (42, 'from the shell')")
	c := s.next()
	if c.String() != "notes/c/42" || c.env.After["body"] != "from the shell" || c.env.Source.Origin == "" || c.env.Source.HLC == "" {
		t.Fatalf("direct write: %s %+v", c, c.env)
	}
}

func TestChanges_TableAndOpFilters(t *testing.T) {
	n := startNode(t)
	n.exec("CREATE TABLE a(id INTEGER PRIMARY KEY, v TEXT)")
	n.exec("CREATE TABLE b(id INTEGER PRIMARY KEY, v TEXT)")
	onlyA := n.changes("tables=a")
	onlyUD := n.changes("tables=a,b&ops=u,d")
	n.execTx("INSERT INTO a VALUES (1, 'x')", "INSERT INTO b VALUES (1, 'x')")
	n.execTx("UPDATE a SET v = 'y'", "UPDATE b SET v = 'y'")
	n.exec("DELETE FROM b")
	if d := describe(onlyA.take(2)); d != "a/c/1 a/u/1" {
		t.Errorf("tables=a: %s", d)
	}
	if d := describe(onlyUD.take(3)); d != "a/u/1 b/u/1 b/d/1" {
		t.Errorf("ops=u,d: %s", d)
	}
	onlyA.quiet(200 * time.Millisecond)
	onlyUD.quiet(10 * time.Millisecond)
}

func TestChanges_RefusedRequests(t *testing.T) {
	n := startNode(t)
	n.exec("CREATE TABLE t(id INTEGER PRIMARY KEY)")
	n.exec("INSERT INTO t VALUES (1)")
	for _, c := range []struct {
		db, query string
		header    []string
		status    int
		code      string
	}{
		{"nope", "", nil, 404, "not_found"},
		{"main", "from=1000000", nil, 400, "invalid_argument"},
		{"main", "", []string{"Last-Event-ID", "junk"}, 400, "invalid_argument"},
		{"main", "ops=c,x", nil, 400, "invalid_argument"},
	} {
		_, status, body := n.openChanges(c.db, c.query, c.header...)
		if status != c.status || !strings.Contains(body, `"code":"`+c.code+`"`) {
			t.Errorf("%s?%s %v: %d %s, want %d %s", c.db, c.query, c.header, status, body, c.status, c.code)
		}
	}
}

func TestChanges_NeedsReadRight(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "warren.toml")
	os.WriteFile(cfg, []byte(`
[[tokens]]
name = "reader"
token = "r-secret-2"
[tokens.rights]
main = "read"

[[tokens]]
name = "elsewhere"
token = "o-secret-2"
[tokens.rights]
other = "admin"
`), 0o600)
	n := startNode(t, "--config", cfg)
	if _, status, _ := n.openChanges("main", ""); status != 401 {
		t.Errorf("no token: %d", status)
	}
	if _, status, body := n.openChanges("main", "", "Authorization", "Bearer o-secret-2"); status != 403 || !strings.Contains(body, "forbidden") {
		t.Errorf("token without read on main: %d %s", status, body)
	}
	n.changes("", "Authorization", "Bearer r-secret-2")
}

func TestChanges_ShutdownEndsStreams(t *testing.T) {
	n := startNode(t)
	n.exec("CREATE TABLE t(id INTEGER PRIMARY KEY)")
	s := n.changes("")
	n.exec("INSERT INTO t VALUES (1)")
	last := s.next().id
	start := time.Now()
	n.stop() // an open stream must not hold the shutdown for shutdown_timeout (10s)
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("stopping with an open stream took %s", took)
	}
	if data := s.final(); !strings.Contains(data, `"code":"unavailable"`) || !strings.Contains(data, `"resume_from":"`+last+`"`) {
		t.Errorf("final error %s", data)
	}
}
