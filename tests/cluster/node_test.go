package cluster

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// readyTimeout bounds a start: a joining node claims an id slot first.
const readyTimeout = 30 * time.Second

// Node is one warren process with a fixed data dir and fixed ports, so that
// it comes back as the same member after a stop, a crash or a restart.
type Node struct {
	t          testing.TB
	Name       string // n1, n2, ...: the name used in test messages
	DataDir    string
	HTTPAddr   string
	GossipAddr string
	QUICAddr   string
	MySQLAddr  string
	args       []string
	client     *http.Client
	log        *logBuffer

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{} // closed when the running process has exited
	err    error         // the exit error, once exited is closed
	paused bool
	ending bool     // the test asked the running process to exit
	exits  []string // exits the test did not ask for
}

// newNode prepares a node with fresh ports and data dir; extra flags are
// appended to the command line. The node stops gracefully when the test ends.
func newNode(t testing.TB, name string, p *ports, extra ...string) *Node {
	n := &Node{t: t, Name: name, DataDir: t.TempDir(), HTTPAddr: p.tcp(t), GossipAddr: p.both(t),
		QUICAddr: p.udp(t), MySQLAddr: p.tcp(t), client: &http.Client{Timeout: 20 * time.Second},
		log: &logBuffer{}}
	n.args = append([]string{"--data-dir", n.DataDir, "--http-addr", n.HTTPAddr, "--gossip-addr", n.GossipAddr,
		"--quic-addr", n.QUICAddr, "--mysql-addr", n.MySQLAddr}, extra...)
	t.Cleanup(n.cleanup)
	return n
}

// URL returns the base URL of the node's HTTP API.
func (n *Node) URL() string { return "http://" + n.HTTPAddr }

// Start starts the process and waits until /readyz answers 200.
func (n *Node) Start() {
	n.t.Helper()
	if err := n.start(); err != nil {
		n.t.Fatalf("start %s: %v", n.Name, err)
	}
}

// start is Start for any goroutine: it reports instead of failing the test.
func (n *Node) start() error {
	exited, err := n.launch()
	if err != nil {
		return err
	}
	return n.waitReady(exited)
}

// launch starts the process without waiting for it to be ready.
func (n *Node) launch() (chan struct{}, error) {
	n.mu.Lock()
	if n.cmd != nil {
		n.mu.Unlock()
		return nil, errors.New("already running")
	}
	cmd := exec.Command(binary, n.args...)
	cmd.Env = childEnv()
	// A node must not outlive a test binary that dies (a -timeout panic
	// skips the cleanups).
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	cmd.Stdout, cmd.Stderr = n.log, n.log
	n.log.mark(fmt.Sprintf("=== test: start %s %s", n.Name, strings.Join(n.args, " ")))
	if err := cmd.Start(); err != nil {
		n.mu.Unlock()
		return nil, fmt.Errorf("start process: %w", err)
	}
	exited := make(chan struct{})
	n.cmd, n.exited, n.paused, n.ending = cmd, exited, false, false
	n.mu.Unlock()
	go func() {
		err := cmd.Wait()
		n.mu.Lock()
		n.err = err
		if !n.ending {
			n.exits = append(n.exits, fmt.Sprintf("%v at %s", err, time.Now().Format("15:04:05.000")))
		}
		n.mu.Unlock()
		close(exited)
	}()
	n.client.CloseIdleConnections()
	return exited, nil
}

// waitReady polls /readyz until it answers 200, the process exits or
// readyTimeout passes.
func (n *Node) waitReady(exited chan struct{}) error {
	deadline := time.Now().Add(readyTimeout)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return fmt.Errorf("exited before ready: %v", n.exitErr())
		default:
		}
		if resp, err := n.client.Get(n.URL() + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("not ready after %s", readyTimeout)
}

// Logs returns everything the node wrote to stdout and stderr, across restarts.
func (n *Node) Logs() string { return n.log.String() }

func (n *Node) running() (*exec.Cmd, chan struct{}) {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.cmd, n.exited
}

func (n *Node) exitErr() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.err
}

// forget clears the state of an exited process so that Start can run again.
func (n *Node) forget() {
	n.mu.Lock()
	n.cmd, n.exited, n.err, n.paused = nil, nil, nil, false
	n.mu.Unlock()
	n.client.CloseIdleConnections()
}

// cleanup stops the node at the end of the test, fails the test if the node
// exited when the test did not ask it to, panicked or (built with -race)
// reported a data race, and keeps its log when the test failed.
func (n *Node) cleanup() {
	if err := n.stop(); err != nil {
		n.t.Errorf("stop %s at the end of the test: %v", n.Name, err)
	}
	n.mu.Lock()
	exits := n.exits
	n.mu.Unlock()
	for _, e := range exits {
		// A node logging "shutting down" here got a signal from outside the test.
		n.t.Errorf("anytime_no_unexpected_exit: %s exited without the test asking (%s)", n.Name, e)
	}
	for _, sign := range []string{"WARNING: DATA RACE", "panic: ", "fatal error: "} {
		if strings.Contains(n.Logs(), sign) {
			n.t.Errorf("anytime_no_crash: the log of %s shows %q", n.Name, sign)
		}
	}
	if n.t.Failed() {
		n.dumpLog()
	}
}

// childEnv is the test's environment without WARREN_* settings, so that the
// developer's shell cannot change the nodes; WARREN_CLUSTER_LOG_LEVEL sets
// their log level.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "WARREN_") {
			env = append(env, kv)
		}
	}
	if lvl := os.Getenv("WARREN_CLUSTER_LOG_LEVEL"); lvl != "" {
		env = append(env, "WARREN_LOG_LEVEL="+lvl)
	}
	return env
}
