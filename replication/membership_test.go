package replication

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestMembership_Cluster(t *testing.T) {
	nodes := startGossipCluster(t, 3, nil)

	t.Run("everyone sees everyone with metadata", func(t *testing.T) {
		for _, m := range nodes {
			got := m.Members()
			if ids := nodeIDs(got); !slices.Equal(ids, []string{"n0", "n1", "n2"}) {
				t.Fatalf("%s: members %v, want n0 n1 n2 sorted", m.Local().NodeID, ids)
			}
			for i, mem := range got {
				want := Meta{NodeID: nodes[i].Local().NodeID, Slot: i + 1, Region: "test", Role: RoleVoter,
					QUICAddr: "127.0.0.1:4433", HTTPAddr: "127.0.0.1:8080", Version: "v-test"}
				if mem.Meta != want {
					t.Errorf("%s sees %+v, want %+v", m.Local().NodeID, mem.Meta, want)
				}
				if mem.GossipAddr != nodes[i].GossipAddr() {
					t.Errorf("%s sees %s at %s, want %s", m.Local().NodeID, mem.NodeID, mem.GossipAddr, nodes[i].GossipAddr())
				}
				if mem.Since.IsZero() {
					t.Errorf("%s: Since of %s is zero", m.Local().NodeID, mem.NodeID)
				}
			}
			if v := m.Voters(); len(v) != 3 {
				t.Errorf("%s: %d voters, want 3", m.Local().NodeID, len(v))
			}
		}
	})

	t.Run("gossip address is the real bound port", func(t *testing.T) {
		ap, err := netip.ParseAddrPort(nodes[0].GossipAddr())
		if err != nil || ap.Port() == 0 || ap.Addr().String() != "127.0.0.1" {
			t.Fatalf("GossipAddr %q (err %v), want 127.0.0.1 with a real port", nodes[0].GossipAddr(), err)
		}
	})

	t.Run("local member", func(t *testing.T) {
		self := nodes[1].Local()
		if self.NodeID != "n1" || self.State != MemberAlive || self.Slot != 2 {
			t.Fatalf("Local() = %+v", self)
		}
	})

	t.Run("join events", func(t *testing.T) {
		// n0 may learn of n2 before n1 (gossip relays it): wait for both in any order.
		e := waitGossipEvents(t, nodes[0], EventMemberJoin, "n1", "n2")["n2"]
		if e.Member.State != MemberAlive || e.Member.Slot != 3 {
			t.Fatalf("join event member %+v", e.Member)
		}
	})

	t.Run("UpdateMeta propagates", func(t *testing.T) {
		meta := nodes[2].Local().Meta
		meta.Slot, meta.HTTPAddr, meta.Version = 42, "127.0.0.1:9090", "v-next"
		if err := nodes[2].UpdateMeta(meta); err != nil {
			t.Fatalf("UpdateMeta: %v", err)
		}
		for _, m := range nodes {
			gossipEventually(t, 3*time.Second, m.Local().NodeID+" sees n2's new metadata", func() bool {
				mem, _ := memberByID(m.Members(), "n2")
				return mem.Meta == meta
			})
		}
		e := waitGossipEvent(t, nodes[0], EventMemberUpdate, "n2")
		if e.Member.Slot != 42 {
			t.Fatalf("update event carries slot %d, want 42", e.Member.Slot)
		}
		if got := nodes[2].Local().Meta; got != meta {
			t.Fatalf("Local().Meta = %+v, want %+v", got, meta)
		}
	})

	t.Run("UpdateMeta rejects a new node id and oversize metadata", func(t *testing.T) {
		before := nodes[1].Local().Meta
		meta := before
		meta.NodeID = "other"
		if err := nodes[1].UpdateMeta(meta); err == nil {
			t.Fatal("UpdateMeta accepted a new node id")
		}
		meta = before
		meta.Version = strings.Repeat("v", MetaMaxSize)
		if err := nodes[1].UpdateMeta(meta); !errors.Is(err, ErrMetaTooLarge) {
			t.Fatalf("UpdateMeta(oversize) = %v, want ErrMetaTooLarge", err)
		}
		if got := nodes[1].Local().Meta; got != before {
			t.Fatalf("metadata changed to %+v after rejected updates", got)
		}
	})
}

func TestMembership_LeaveShowsLeft(t *testing.T) {
	nodes := startGossipCluster(t, 3, nil)
	if err := nodes[2].Leave(2 * time.Second); err != nil {
		t.Fatalf("Leave: %v", err)
	}
	for _, m := range nodes[:2] {
		gossipEventually(t, 3*time.Second, m.Local().NodeID+" sees n2 left", func() bool {
			return stateOf(m, "n2") == MemberLeft
		})
	}
	e := waitGossipEvent(t, nodes[0], EventMemberLeave, "n2")
	if e.Member.State != MemberLeft {
		t.Fatalf("leave event state %s", e.Member.State)
	}
	if err := nodes[2].Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if got := nodeIDs(nodes[0].Voters()); !slices.Equal(got, []string{"n0", "n1"}) {
		t.Fatalf("voters %v, want n0 n1 (left members do not count)", got)
	}
	if got := len(nodes[0].Members()); got != 3 {
		t.Fatalf("%d members listed, want 3 (left member stays listed)", got)
	}
	gossipConsistently(t, 500*time.Millisecond, "n2 stays left (never dead) after Close", func() bool {
		return stateOf(nodes[0], "n2") == MemberLeft && stateOf(nodes[1], "n2") == MemberLeft
	})
}

func TestMembership_FailureKeepsDeadMember(t *testing.T) {
	nodes := startGossipCluster(t, 3, nil)
	if err := nodes[2].Close(); err != nil { // no Leave: a crash
		t.Fatalf("Close: %v", err)
	}
	sawSuspect, healthy := false, true
	gossipEventually(t, 5*time.Second, "n0 sees n2 dead", func() bool {
		st := stateOf(nodes[0], "n2")
		sawSuspect = sawSuspect || st == MemberSuspect
		healthy = healthy && nodes[0].ml.GetHealthScore() == 0
		return st == MemberDead
	})
	// Suspect lasts from about two probe rounds of silence until memberlist
	// declares the node dead. A node starved of CPU probes less often (its
	// health score rises), which stretches those rounds past the suspicion
	// timeout: then it may see the failure only as dead (see Members).
	switch {
	case !sawSuspect && healthy:
		t.Error("n2 never showed as suspect before dead")
	case !sawSuspect:
		t.Log("n0's health score rose (CPU starved): it saw n2 dead without seeing it suspect first")
	}
	gossipEventually(t, 5*time.Second, "n1 sees n2 dead", func() bool { return stateOf(nodes[1], "n2") == MemberDead })
	waitGossipEvent(t, nodes[0], EventMemberFailed, "n2")

	if got := nodeIDs(nodes[0].Voters()); !slices.Equal(got, []string{"n0", "n1", "n2"}) {
		t.Fatalf("voters %v, want n0 n1 n2 (dead members count toward quorum)", got)
	}

	t.Run("a node joining later learns the dead member", func(t *testing.T) {
		late := startGossipNode(t, gossipTestConfig("n3", nodes[1].GossipAddr()))
		gossipEventually(t, 3*time.Second, "n3 lists n2 as dead", func() bool {
			return stateOf(late, "n2") == MemberDead && countLive(late.Members()) == 3
		})
		mem, _ := memberByID(late.Members(), "n2")
		if mem.Slot != 3 || mem.GossipAddr == "" {
			t.Fatalf("n3 knows dead n2 as %+v, want its metadata and address", mem)
		}
	})

	t.Run("the dead node comes back on a new address", func(t *testing.T) {
		cfg := gossipTestConfig("n2", nodes[0].GossipAddr())
		cfg.Meta.Slot = 3
		back := startGossipNode(t, cfg)
		for _, m := range nodes[:2] {
			gossipEventually(t, 3*time.Second, m.Local().NodeID+" sees n2 back", func() bool {
				mem, _ := memberByID(m.Members(), "n2")
				return mem.State != MemberDead && mem.GossipAddr == back.GossipAddr()
			})
		}
		waitGossipEvent(t, nodes[0], EventMemberJoin, "n2")
	})
}

func TestMembership_Reap(t *testing.T) {
	nodes := startGossipCluster(t, 4, func(c *MembershipConfig) {
		c.DeadReapTimeout = 300 * time.Millisecond
		c.LeftRetention = 200 * time.Millisecond
	})
	if err := nodes[3].Leave(5 * time.Second); err != nil { // generous: CI runs packages side by side on 2 cores
		t.Fatalf("Leave: %v", err)
	}
	_ = nodes[3].Close()
	_ = nodes[2].Close()
	waitGossipEvents(t, nodes[0], EventMemberReap, "n2", "n3")
	gossipEventually(t, 5*time.Second, "reaped members disappear on both survivors", func() bool {
		return slices.Equal(nodeIDs(nodes[0].Members()), []string{"n0", "n1"}) &&
			slices.Equal(nodeIDs(nodes[1].Members()), []string{"n0", "n1"})
	})
}

func TestMembership_WrongSecretCannotJoin(t *testing.T) {
	a := startGossipNode(t, gossipTestConfig("a"))
	cfg := gossipTestConfig("b", a.GossipAddr())
	cfg.Secret = "another secret"
	cfg.JoinTimeout = 500 * time.Millisecond
	if m, err := NewMembership(cfg); err == nil {
		_ = m.Close()
		t.Fatal("a node with another secret joined")
	}

	cfg.Join = nil
	b := startGossipNode(t, cfg)
	if err := b.Join(context.Background(), []string{a.GossipAddr()}); err == nil {
		t.Fatal("Join with another secret succeeded")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	if err := a.Join(ctx, []string{b.GossipAddr()}); err == nil {
		t.Fatal("Join towards a node with another secret succeeded")
	}
	gossipConsistently(t, 300*time.Millisecond, "both see only themselves", func() bool {
		return slices.Equal(nodeIDs(a.Members()), []string{"a"}) && slices.Equal(nodeIDs(b.Members()), []string{"b"})
	})
}

func TestMembership_DuplicateNodeIDRefused(t *testing.T) {
	nodes := startGossipCluster(t, 2, nil)
	cfg := gossipTestConfig("n1", nodes[0].GossipAddr())
	cfg.JoinTimeout = 5 * time.Second
	start := time.Now()
	m, err := NewMembership(cfg)
	if err == nil {
		_ = m.Close()
		t.Fatal("a second node with id n1 joined")
	}
	if !errors.Is(err, ErrDuplicateNodeID) || !strings.Contains(err.Error(), `"n1"`) {
		t.Fatalf("error %q, want ErrDuplicateNodeID naming n1", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Fatalf("refusal took %s: a duplicate must not be retried", time.Since(start))
	}
	for _, n := range nodes {
		mem, _ := memberByID(n.Members(), "n1")
		if (mem.State != MemberAlive && mem.State != MemberSuspect) || mem.GossipAddr != nodes[1].GossipAddr() {
			t.Fatalf("%s sees n1 as %+v, want the original, live, at %s", n.Local().NodeID, mem, nodes[1].GossipAddr())
		}
	}
}

func TestMembership_DNSSeeds(t *testing.T) {
	a := startGossipNode(t, gossipTestConfig("a"))
	port := netip.MustParseAddrPort(a.GossipAddr()).Port()
	bcfg := gossipTestConfig("b")
	bcfg.BindAddr = netip.AddrPortFrom(netip.MustParseAddr("127.0.0.2"), port).String()
	b := startGossipNode(t, bcfg) // a and b start apart

	var mu sync.Mutex
	var asked []string
	cfg := gossipTestConfig("c")
	cfg.Join = []string{fmt.Sprintf("cluster.test:%d", port)}
	cfg.Resolver = func(_ context.Context, host string) ([]string, error) {
		mu.Lock()
		defer mu.Unlock()
		asked = append(asked, host)
		return []string{"127.0.0.1", "127.0.0.2"}, nil
	}
	c := startGossipNode(t, cfg)
	mu.Lock()
	if len(asked) == 0 || asked[0] != "cluster.test" {
		t.Errorf("resolver asked %v, want cluster.test", asked)
	}
	mu.Unlock()
	for _, m := range []*Membership{a, b, c} {
		gossipEventually(t, 3*time.Second, m.Local().NodeID+" sees a, b and c", func() bool {
			return countLive(m.Members()) == 3
		})
	}
}

func TestNewMembership_Validation(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*MembershipConfig)
		is     error
	}{
		{"join without secret", func(c *MembershipConfig) { c.Join = []string{"127.0.0.1:1"}; c.Secret = "" }, nil},
		{"empty node id", func(c *MembershipConfig) { c.Meta.NodeID = "" }, nil},
		{"unknown role", func(c *MembershipConfig) { c.Meta.Role = "boss" }, nil},
		{"negative slot", func(c *MembershipConfig) { c.Meta.Slot = -1 }, nil},
		{"oversize metadata", func(c *MembershipConfig) { c.Meta.Region = strings.Repeat("r", 600) }, ErrMetaTooLarge},
		{"bad bind address", func(c *MembershipConfig) { c.BindAddr = "127.0.0.1:notaport" }, nil},
		{"negative reap timeout", func(c *MembershipConfig) { c.DeadReapTimeout = -time.Second }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := gossipTestConfig("x")
			tt.mutate(&cfg)
			m, err := NewMembership(cfg)
			if err == nil {
				_ = m.Close()
				t.Fatal("NewMembership accepted the config")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Fatalf("error %v, want %v", err, tt.is)
			}
		})
	}
}

func TestMembership_FirstNodeAlone(t *testing.T) {
	m := startGossipNode(t, gossipTestConfig("solo"))
	if got := m.Members(); len(got) != 1 || got[0].NodeID != "solo" || got[0].State != MemberAlive {
		t.Fatalf("members %+v, want only solo alive", got)
	}
	if err := m.Join(context.Background(), []string{m.GossipAddr()}); err != nil {
		t.Fatalf("joining only itself: %v", err)
	}
}

func TestMembership_JoinNoSeedAnswers(t *testing.T) {
	cfg := gossipTestConfig("lonely", "127.0.0.1:1")
	cfg.JoinTimeout = 300 * time.Millisecond
	m, err := NewMembership(cfg)
	if err == nil {
		_ = m.Close()
		t.Fatal("NewMembership succeeded with no seed answering")
	}
	if !strings.Contains(err.Error(), "no seed") {
		t.Fatalf("error %q does not say no seed answered", err)
	}
}

func TestMembership_CloseIsFinal(t *testing.T) {
	m := startGossipNode(t, gossipTestConfig("x"))
	if err := m.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := m.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := m.Leave(time.Second); !errors.Is(err, ErrMembershipClosed) {
		t.Fatalf("Leave after Close = %v", err)
	}
	if err := m.UpdateMeta(m.Local().Meta); !errors.Is(err, ErrMembershipClosed) {
		t.Fatalf("UpdateMeta after Close = %v", err)
	}
	for range m.Events() { // drains, then ends because Close closed it
	}
}
