package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// binary is the warren binary built once for the whole package.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "warren-e2e-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "warren")
	build := exec.Command("go", "build", "-o", binary, "github.com/warren-db/warren/cmd/warren")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build warren:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// node is one running warren process.
type node struct {
	t       *testing.T
	dataDir string
	url     string
	args    []string
	cmd     *exec.Cmd
	logMu   sync.Mutex
	log     bytes.Buffer
	exited  chan error
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startNode starts warren with its own data dir and free ports.
func startNode(t *testing.T, extra ...string) *node {
	n := &node{t: t, dataDir: t.TempDir()}
	port := freePort(t)
	n.url = fmt.Sprintf("http://127.0.0.1:%d", port)
	n.args = append([]string{"--data-dir", n.dataDir, "--http-addr", fmt.Sprintf("127.0.0.1:%d", port),
		"--mysql-addr", fmt.Sprintf("127.0.0.1:%d", freePort(t)), "--gossip-addr", fmt.Sprintf("127.0.0.1:%d", freePort(t)),
		"--quic-addr", fmt.Sprintf("127.0.0.1:%d", freePort(t))}, extra...)
	n.start()
	t.Cleanup(n.stop)
	return n
}

func (n *node) start() {
	n.cmd = exec.Command(binary, n.args...)
	pr, pw := io.Pipe()
	n.cmd.Stdout, n.cmd.Stderr = pw, pw
	if err := n.cmd.Start(); err != nil {
		n.t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			n.logMu.Lock()
			n.log.WriteString(sc.Text() + "\n")
			n.logMu.Unlock()
		}
	}()
	n.exited = make(chan error, 1)
	go func() { err := n.cmd.Wait(); pw.Close(); n.exited <- err }()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(n.url + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	n.t.Fatalf("node did not become ready; log:\n%s", n.logs())
}

func (n *node) logs() string {
	n.logMu.Lock()
	defer n.logMu.Unlock()
	return n.log.String()
}

// stop sends SIGTERM and waits for a clean exit.
func (n *node) stop() {
	if n.cmd == nil || n.cmd.ProcessState != nil {
		return
	}
	n.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-n.exited:
		if err != nil {
			n.t.Errorf("warren exited with %v; log:\n%s", err, n.logs())
		}
	case <-time.After(15 * time.Second):
		n.cmd.Process.Kill()
		n.t.Errorf("warren did not stop on SIGTERM; log:\n%s", n.logs())
	}
	n.cmd = nil
}

// call posts JSON and decodes the JSON answer; it returns the status.
func (n *node) call(method, path string, body any, out any, header ...string) int {
	n.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, n.url+path, rd)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		n.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			n.t.Fatalf("%s %s: decode %q: %v", method, path, data, err)
		}
	}
	return resp.StatusCode
}

type execResp struct {
	Results []struct {
		RowsAffected int64 `json:"rows_affected"`
		LastInsertID int64 `json:"last_insert_id"`
	} `json:"results"`
	Bookmark string `json:"bookmark"`
	Error    *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

type queryResp struct {
	Columns []string `json:"columns"`
	Types   []string `json:"types"`
	Rows    [][]any  `json:"rows"`
}

func (n *node) exec(sql string, params ...any) execResp {
	n.t.Helper()
	var out execResp
	st := map[string]any{"sql": sql}
	if len(params) > 0 {
		st["params"] = params
	}
	if code := n.call("POST", "/v1/db/main/exec", map[string]any{"statements": []any{st}}, &out); code != 200 {
		n.t.Fatalf("exec %s: status %d %+v", sql, code, out.Error)
	}
	return out
}

func (n *node) query(sql string, params ...any) queryResp {
	n.t.Helper()
	var out queryResp
	body := map[string]any{"sql": sql}
	if len(params) > 0 {
		body["params"] = params
	}
	if code := n.call("POST", "/v1/db/main/query", body, &out); code != 200 {
		n.t.Fatalf("query %s: status %d", sql, code)
	}
	return out
}

// sqlite3 runs the sqlite3 shell on the node's main database file.
func (n *node) sqlite3(sql string) string {
	n.t.Helper()
	out, err := exec.Command("sqlite3", "-cmd", ".timeout 5000", filepath.Join(n.dataDir, "main.db"), sql).CombinedOutput()
	if err != nil {
		n.t.Fatalf("sqlite3 %q: %v: %s", sql, err, out)
	}
	return strings.TrimSpace(string(out))
}

func TestNode_HTTPAndSQLiteFile(t *testing.T) {
	if _, err := exec.LookPath("sqlite3"); err != nil {
		t.Fatal("the sqlite3 shell is required (apt-get install sqlite3): .ci/run installs it")
	}
	n := startNode(t)
	n.exec("CREATE TABLE people(id INTEGER PRIMARY KEY, name TEXT NOT NULL, born TEXT)")
	ins := n.exec("INSERT INTO people(name, born) VALUES (?, ?)", "Ada", "1815-12-10")
	if ins.Results[0].LastInsertID == 0 || ins.Bookmark == "" {
		t.Fatalf("insert answer %+v", ins)
	}
	got := n.query("SELECT name, born FROM people WHERE id = ?", ins.Results[0].LastInsertID)
	if len(got.Rows) != 1 || got.Rows[0][1] != "1815-12-10" || got.Types[0] != "TEXT" {
		t.Fatalf("query answer %+v", got)
	}

	// A local process reads the live file directly.
	if out := n.sqlite3("SELECT name FROM people"); out != "Ada" {
		t.Fatalf("sqlite3 read %q", out)
	}

	// A direct write by another process is captured and stamped.
	n.sqlite3("INSERT INTO people(id, name) VALUES (1000, 'Grace')")
	deadline := time.Now().Add(5 * time.Second)
	for {
		r := n.query("SELECT count(*) FROM __warren_changes c JOIN __warren_log l USING (pos) WHERE c.tbl = 'people' AND c.pk = '[1000]'")
		if fmt.Sprint(r.Rows[0][0]) == "1" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("direct sqlite3 write was not captured; log:\n%s", n.logs())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if r := n.query("SELECT name FROM people WHERE id = 1000"); len(r.Rows) != 1 {
		t.Fatalf("direct write not visible over HTTP: %+v", r)
	}
}

func TestNode_BackupIsASQLiteFile(t *testing.T) {
	n := startNode(t)
	n.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
	n.exec("INSERT INTO t(v) VALUES ('kept')")
	resp, err := http.Get(n.url + "/v1/db/main/backup")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	path := filepath.Join(t.TempDir(), "backup.db")
	f, _ := os.Create(path)
	io.Copy(f, resp.Body)
	f.Close()
	out, err := exec.Command("sqlite3", path, "PRAGMA integrity_check; SELECT v FROM t;").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "ok\nkept" {
		t.Fatalf("backup: %v %q", err, out)
	}
}

func TestNode_RestartKeepsDataAndIdentity(t *testing.T) {
	n := startNode(t)
	var before struct {
		NodeID string `json:"node_id"`
	}
	n.call("GET", "/v1/cluster", nil, &before)
	n.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
	n.exec("INSERT INTO t(v) VALUES ('durable')")
	n.stop()
	n.start()
	var after struct {
		NodeID string `json:"node_id"`
	}
	n.call("GET", "/v1/cluster", nil, &after)
	if before.NodeID == "" || before.NodeID != after.NodeID {
		t.Fatalf("node id %q -> %q", before.NodeID, after.NodeID)
	}
	if r := n.query("SELECT v FROM t"); len(r.Rows) != 1 || r.Rows[0][0] != "durable" {
		t.Fatalf("rows after restart %+v", r)
	}
}

func TestNode_TokensFromConfigFile(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "warren.toml")
	os.WriteFile(cfg, []byte(`
[[tokens]]
name = "reader"
token = "r-secret-1"
[tokens.rights]
"*" = "read"

[[tokens]]
name = "writer"
token = "w-secret-1"
[tokens.rights]
main = "write"
`), 0o600)
	n := startNode(t, "--config", cfg)
	body := map[string]any{"statements": []any{map[string]any{"sql": "CREATE TABLE t(id INTEGER PRIMARY KEY)"}}}
	if code := n.call("POST", "/v1/db/main/exec", body, nil); code != 401 {
		t.Fatalf("no token: %d", code)
	}
	if code := n.call("POST", "/v1/db/main/exec", body, nil, "Authorization", "Bearer r-secret-1"); code != 403 {
		t.Fatalf("read token writing: %d", code)
	}
	if code := n.call("POST", "/v1/db/main/exec", body, nil, "Authorization", "Bearer w-secret-1"); code != 200 {
		t.Fatalf("write token: %d", code)
	}
	if strings.Contains(n.logs(), "secret-1") {
		t.Fatalf("a token appears in the log:\n%s", n.logs())
	}
}

func TestNode_BadConfigStopsStart(t *testing.T) {
	out, err := exec.Command(binary, "--data-dir", t.TempDir(), "--id-slot", "99").CombinedOutput()
	if err == nil {
		t.Fatal("warren started with an invalid id slot")
	}
	if !strings.Contains(string(out), "id_slot") && !strings.Contains(string(out), "id-slot") {
		t.Fatalf("message does not name the setting: %s", out)
	}
}
