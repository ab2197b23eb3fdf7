package mysql

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Credentials of the administrator every node is started with.
const (
	adminUser = "admin"
	adminPass = "Adm1n-pass"
)

// binary is the server built once for the package.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "warren-mysql-e2e-")
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

// node is a running server process.
type node struct {
	t     *testing.T
	cmd   *exec.Cmd
	host  string
	port  string
	logMu sync.Mutex
	log   bytes.Buffer
}

// startNode starts a server with its own data directory and waits until it
// listens; extra are more flags.
func startNode(t *testing.T, extra ...string) *node {
	t.Helper()
	n := &node{t: t}
	args := []string{"--data-dir", t.TempDir(), "--mysql-addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0",
		"--mysql-user", adminUser, "--mysql-password", adminPass, "--log-format", "json"}
	n.cmd = exec.Command(binary, append(args, extra...)...)
	n.cmd.Env = append(os.Environ(), "WARREN_CLUSTER_SECRET=")
	stdout, err := n.cmd.StderrPipe() // the real warren logs JSON lines on stderr
	if err != nil {
		t.Fatal(err)
	}
	if err := n.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.stop)
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			n.logMu.Lock()
			n.log.WriteString(line + "\n")
			n.logMu.Unlock()
			var rec struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "mysql listening" {
				addr <- rec.Addr
			}
		}
	}()
	select {
	case a := <-addr:
		n.host, n.port, _ = strings.Cut(a, ":")
	case <-time.After(20 * time.Second):
		t.Fatalf("server did not start:\n%s", n.logs())
	}
	return n
}

func (n *node) stop() {
	_ = n.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = n.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = n.cmd.Process.Kill()
		<-done
	}
	if n.t.Failed() {
		n.t.Logf("server log:\n%s", n.logs())
	}
	if strings.Contains(n.logs(), "panic") {
		n.t.Errorf("server log mentions a panic:\n%s", n.logs())
	}
}

func (n *node) logs() string {
	n.logMu.Lock()
	defer n.logMu.Unlock()
	return n.log.String()
}

// need skips nothing: a missing client is a failure with the package to install.
func need(t *testing.T, tool, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err != nil {
		t.Fatalf("%s is not installed: apt-get install -y %s", tool, pkg)
	}
	return p
}

// runBinary runs warren with args until it exits and returns its output.
func runBinary(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "WARREN_CLUSTER_SECRET=")
	out, err := cmd.CombinedOutput()
	return string(out), err
}
