package cluster

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// logTail is how many lines of each node's log a failing test prints; the
// whole log is written to a file.
const logTail = 60

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

// mark adds a line of the test's own (a start, a signal) to the log.
func (b *logBuffer) mark(line string) {
	b.Write([]byte(line + "\n"))
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// dumpLog writes the node's whole log to
// $TMPDIR/warren-cluster-logs/<pid of the test binary>/<test>/<node>.log,
// which outlives the test, and prints where it is and the last lines.
func (n *Node) dumpLog() {
	text := n.Logs()
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	tail := strings.Join(lines[max(0, len(lines)-logTail):], "\n")
	path := "(not saved)"
	dir := filepath.Join(os.TempDir(), "warren-cluster-logs", strconv.Itoa(os.Getpid()), strings.ReplaceAll(n.t.Name(), "/", "_"))
	if os.MkdirAll(dir, 0o755) == nil {
		p := filepath.Join(dir, n.Name+".log")
		if os.WriteFile(p, []byte(text), 0o644) == nil {
			path = p
		}
	}
	n.t.Logf("log of %s (%d lines, all in %s); last lines:\n%s", n.Name, len(lines), path, tail)
}
