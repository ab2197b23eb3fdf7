package wordpress

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Credentials of the MySQL administrator every node is started with.
const (
	adminUser = "wpadmin"
	adminPass = "Wp-adm1n-pass"
)

// startTimeout bounds how long the cluster takes to start and form.
const startTimeout = 30 * time.Second

// node is one warren process of the cluster.
type node struct {
	name      string
	httpAddr  string
	mysqlPort int
	cmd       *exec.Cmd
	log       *logBuffer
	client    *http.Client
}

// logBuffer collects a process's output; it is safe for concurrent use.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startCluster starts three nodes with the MySQL door, n2 and n3 joining n1,
// all writing at quorum, and waits until each sees all three alive.
func startCluster(t *testing.T) []*node {
	t.Helper()
	p := newPorts()
	secret := "wp-" + rand.Text()
	var nodes []*node
	var joinAddr string
	for i := 1; i <= 3; i++ {
		n := &node{name: fmt.Sprintf("n%d", i), httpAddr: fmt.Sprintf("127.0.0.1:%d", p.tcp(t)),
			mysqlPort: p.tcp(t), log: &logBuffer{}, client: &http.Client{Timeout: 10 * time.Second}}
		gossip := fmt.Sprintf("127.0.0.1:%d", p.both(t))
		args := []string{"--node-id", n.name, "--data-dir", t.TempDir(), "--http-addr", n.httpAddr,
			"--gossip-addr", gossip, "--quic-addr", fmt.Sprintf("127.0.0.1:%d", p.udp(t)),
			"--mysql-addr", fmt.Sprintf("127.0.0.1:%d", n.mysqlPort),
			"--mysql-user", adminUser, "--mysql-password", adminPass,
			"--cluster-secret", secret, "--default-consistency", "quorum",
			"--anti-entropy-interval", "200ms", "--prepare-timeout", "3s"}
		if joinAddr == "" {
			joinAddr = gossip
		} else {
			args = append(args, "--join", joinAddr)
		}
		n.start(t, args)
		nodes = append(nodes, n)
	}
	for _, n := range nodes {
		n.waitReady(t)
	}
	eventually(t, startTimeout, "cluster formed", func() error {
		for _, n := range nodes {
			if err := n.seesAlive(len(nodes)); err != nil {
				return err
			}
		}
		return nil
	})
	return nodes
}

// start launches the process; it is stopped, and its log shown on failure,
// when the test ends.
func (n *node) start(t *testing.T, args []string) {
	t.Helper()
	n.cmd = exec.Command(binary, args...)
	n.cmd.Env = childEnv()
	n.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	n.cmd.Stdout, n.cmd.Stderr = n.log, n.log
	if err := n.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", n.name, err)
	}
	t.Cleanup(func() { n.stop(t) })
}

// stop ends the process gracefully (killing it after 10 s) and checks its log.
func (n *node) stop(t *testing.T) {
	_ = n.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = n.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = n.cmd.Process.Kill()
		<-done
	}
	logs := n.log.String()
	for _, sign := range []string{"panic: ", "fatal error: "} {
		if strings.Contains(logs, sign) {
			t.Errorf("the log of %s shows %q", n.name, sign)
		}
	}
	if t.Failed() {
		t.Logf("log of %s:\n%s", n.name, tail(logs, 40))
	}
}

// waitReady polls /readyz until it answers 200.
func (n *node) waitReady(t *testing.T) {
	t.Helper()
	eventually(t, startTimeout, n.name+" ready", func() error {
		resp, err := n.client.Get("http://" + n.httpAddr + "/readyz")
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("%s /readyz: %d", n.name, resp.StatusCode)
		}
		return nil
	})
}

// seesAlive fails unless n lists count members alive, each with an id slot.
func (n *node) seesAlive(count int) error {
	var info struct {
		Members []struct {
			NodeID string `json:"node_id"`
			State  string `json:"state"`
			Slot   int    `json:"slot"`
		} `json:"members"`
	}
	if err := n.call("GET", "/v1/cluster", nil, http.StatusOK, &info); err != nil {
		return err
	}
	alive := 0
	for _, m := range info.Members {
		if m.State == "alive" && m.Slot > 0 {
			alive++
		}
	}
	if alive != count {
		return fmt.Errorf("%s sees %d of %d members alive with a slot: %+v", n.name, alive, count, info.Members)
	}
	return nil
}

// count runs a SQLite count query on database db through n's HTTP API.
func (n *node) count(db, sql string, params ...any) (int64, error) {
	var out struct {
		Rows [][]json.Number `json:"rows"`
	}
	body := map[string]any{"sql": sql}
	if len(params) > 0 {
		body["params"] = params
	}
	if err := n.call("POST", "/v1/db/"+db+"/query", body, http.StatusOK, &out); err != nil {
		return 0, err
	}
	if len(out.Rows) != 1 || len(out.Rows[0]) != 1 {
		return 0, fmt.Errorf("%s: %q answered %v", n.name, sql, out.Rows)
	}
	return out.Rows[0][0].Int64()
}

// call sends a JSON request and decodes the JSON answer, failing unless
// the status is want.
func (n *node) call(method, path string, body any, want int, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("encode request: %w", err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, "http://"+n.httpAddr+path, rd)
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := n.client.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s on %s: %w", method, path, n.name, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("read answer of %s %s on %s: %w", method, path, n.name, err)
	}
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s on %s: status %d: %s", method, path, n.name, resp.StatusCode, data)
	}
	if out == nil {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(out); err != nil {
		return fmt.Errorf("decode answer %q of %s %s on %s: %w", data, method, path, n.name, err)
	}
	return nil
}

// childEnv is the test's environment without WARREN_* settings, so that the
// developer's shell cannot change the nodes.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "WARREN_") {
			env = append(env, kv)
		}
	}
	return env
}

// eventually retries cond every 100 ms until it holds or timeout passes.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still false after %s: %v", what, timeout, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// tail returns the last n lines of text.
func tail(text string, n int) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
