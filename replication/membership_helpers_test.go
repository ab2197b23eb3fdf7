package replication

import (
	"fmt"
	"log/slog"
	"maps"
	"os"
	"slices"
	"testing"
	"time"
)

const gossipTestSecret = "membership test secret"

// gossipTestLogger discards logs unless WARREN_TEST_LOG is set, since
// memberlist goroutines may still log after a test has finished.
func gossipTestLogger() *slog.Logger {
	if os.Getenv("WARREN_TEST_LOG") == "" {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// gossipTestConfig is a fast, loopback, port-0 config for node id with the
// given seeds.
func gossipTestConfig(id string, join ...string) MembershipConfig {
	return MembershipConfig{
		BindAddr: "127.0.0.1:0",
		Join:     join,
		Secret:   gossipTestSecret,
		Meta: Meta{
			NodeID:   id,
			Region:   "test",
			QUICAddr: "127.0.0.1:4433",
			HTTPAddr: "127.0.0.1:8080",
			Version:  "v-test",
		},
		Fast:        true,
		JoinTimeout: time.Second,
		Logger:      gossipTestLogger(),
	}
}

// startGossipNode starts a member and closes it when the test ends.
func startGossipNode(t *testing.T, cfg MembershipConfig) *Membership {
	t.Helper()
	m, err := NewMembership(cfg)
	if err != nil {
		t.Fatalf("NewMembership(%s): %v", cfg.Meta.NodeID, err)
	}
	t.Cleanup(func() { _ = m.Close() })
	return m
}

// startGossipCluster starts n members n0..n(n-1); each joins n0, and the
// call returns once every member sees all n alive.
func startGossipCluster(t *testing.T, n int, tweak func(*MembershipConfig)) []*Membership {
	t.Helper()
	nodes := make([]*Membership, n)
	for i := range nodes {
		var seeds []string
		if i > 0 {
			seeds = []string{nodes[0].GossipAddr()}
		}
		cfg := gossipTestConfig(fmt.Sprintf("n%d", i), seeds...)
		cfg.Meta.Slot = i + 1
		if tweak != nil {
			tweak(&cfg)
		}
		nodes[i] = startGossipNode(t, cfg)
	}
	for _, m := range nodes {
		gossipEventually(t, 5*time.Second, m.Local().NodeID+" sees everyone alive", func() bool {
			return countLive(m.Members()) == n
		})
	}
	return nodes
}

// gossipEventually polls cond every 5 ms until it holds or timeout passes.
func gossipEventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting until %s", timeout, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// gossipConsistently fails if cond stops holding within d.
func gossipConsistently(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if !cond() {
			t.Fatalf("expected %s to keep holding", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitGossipEvent reads events until one of type typ about node arrives.
func waitGossipEvent(t *testing.T, m *Membership, typ MemberEventType, node string) MemberEvent {
	t.Helper()
	return waitGossipEvents(t, m, typ, node)[node]
}

// waitGossipEvents reads events until one of type typ arrived about each
// node, in any order.
func waitGossipEvents(t *testing.T, m *Membership, typ MemberEventType, nodes ...string) map[string]MemberEvent {
	t.Helper()
	got := make(map[string]MemberEvent)
	timeout := time.After(5 * time.Second)
	for len(got) < len(nodes) {
		select {
		case e, ok := <-m.Events():
			if !ok {
				t.Fatalf("events closed while waiting for %s of %v", typ, nodes)
			}
			if e.Type == typ && slices.Contains(nodes, e.Member.NodeID) {
				got[e.Member.NodeID] = e
			}
		case <-timeout:
			t.Fatalf("waited for %s of %v, got only %v", typ, nodes, slices.Collect(maps.Keys(got)))
		}
	}
	return got
}

func memberByID(members []Member, id string) (Member, bool) {
	for _, m := range members {
		if m.NodeID == id {
			return m, true
		}
	}
	return Member{}, false
}

func stateOf(m *Membership, id string) MemberState {
	mem, _ := memberByID(m.Members(), id)
	return mem.State
}

func countState(members []Member, st MemberState) int {
	n := 0
	for _, m := range members {
		if m.State == st {
			n++
		}
	}
	return n
}

// countLive counts alive and suspect members.
func countLive(members []Member) int {
	return countState(members, MemberAlive) + countState(members, MemberSuspect)
}

func nodeIDs(members []Member) []string {
	ids := make([]string, len(members))
	for i, m := range members {
		ids[i] = m.NodeID
	}
	return ids
}
