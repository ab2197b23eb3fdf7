package cluster

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// stopPromptly bounds how long a node may take to exit after SIGTERM while
// it is still starting.
const stopPromptly = 10 * time.Second

// TestCluster_SigtermWhileJoining stops a node with SIGTERM while it is
// still trying to reach a seed that never answers: it exits promptly rather
// than after its join attempts time out.
func TestCluster_SigtermWhileJoining(t *testing.T) {
	p := newPorts()
	nowhere := p.both(t)
	n := newNode(t, "joiner", p, append([]string{"--node-id", "joiner", "--cluster-secret", "s",
		"--join", nowhere}, fastFlags...)...)
	if _, err := n.launch(); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "eventually_joining", func() error {
		if !strings.Contains(n.Logs(), "member-join") {
			return errors.New("gossip not started yet")
		}
		return nil
	})
	start := time.Now()
	err := n.terminate(stopPromptly)
	if err != nil && strings.Contains(err.Error(), "did not exit") {
		t.Fatalf("anytime_sigterm_stops_promptly: %v (still joining)", err)
	}
	t.Logf("exited %s after SIGTERM: %v", time.Since(start).Round(time.Millisecond), err)
}
