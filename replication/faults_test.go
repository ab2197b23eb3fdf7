package replication

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// errorf is fmt.Errorf for polled conditions.
func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// linkWorks calls from→to and reports the error.
func linkWorks(t *testing.T, from, to *Transport) error {
	_, err := from.Call(testCallCtx(t), to.Addr(), KindPing, []byte("x"))
	return err
}

func TestTransport_Partition(t *testing.T) {
	a, b, c := newTestTransport(t, "a"), newTestTransport(t, "b"), newTestTransport(t, "c")
	all := []*Transport{a, b, c}
	for _, from := range all { // connections exist before the cut
		for _, to := range all {
			if err := linkWorks(t, from, to); err != nil {
				t.Fatalf("%s→%s before partition: %v", from.NodeID(), to.NodeID(), err)
			}
		}
	}

	a.Partition("b", "c") // {a} | {b, c}, set on a's side only
	for _, peer := range []*Transport{b, c} {
		if err := linkWorks(t, a, peer); !errors.Is(err, ErrPartitioned) {
			t.Errorf("a→%s = %v; want ErrPartitioned", peer.NodeID(), err)
		}
		if err := linkWorks(t, peer, a); !errors.Is(err, ErrRefused) {
			t.Errorf("%s→a = %v; want ErrRefused", peer.NodeID(), err)
		}
	}
	if err := linkWorks(t, b, c); err != nil {
		t.Errorf("b→c inside the majority: %v", err)
	}
	if err := linkWorks(t, a, a); err != nil {
		t.Errorf("a→a: %v", err)
	}

	a.Heal()
	for _, from := range all {
		for _, to := range all {
			if err := linkWorks(t, from, to); err != nil {
				t.Errorf("%s→%s after heal: %v", from.NodeID(), to.NodeID(), err)
			}
		}
	}
}

func TestTransport_SetFilter(t *testing.T) {
	a, b := newTestTransport(t, "a"), newTestTransport(t, "b")
	errCut := errors.New("cable cut")
	a.SetFilter(func(addr, nodeID string) error {
		if addr == b.Addr() || nodeID == "b" {
			return errCut
		}
		return nil
	})
	if err := linkWorks(t, a, b); !errors.Is(err, errCut) {
		t.Errorf("a→b = %v; want the filter's error", err)
	}
	if err := linkWorks(t, b, a); !errors.Is(err, ErrRefused) {
		t.Errorf("b→a = %v; want ErrRefused", err)
	}
	a.SetFilter(nil)
	if err := linkWorks(t, a, b); err != nil {
		t.Errorf("a→b after removing the filter: %v", err)
	}
	if err := linkWorks(t, b, a); err != nil {
		t.Errorf("b→a after removing the filter: %v", err)
	}
}

func TestTransport_SetLatency(t *testing.T) {
	a, b := newTestTransport(t, "a"), newTestTransport(t, "b")
	a.SetLatency(150 * time.Millisecond)
	start := time.Now()
	if err := linkWorks(t, a, b); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Fatalf("call took %v; want at least the 150ms latency", d)
	}

	a.SetLatency(time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := a.Call(ctx, b.Addr(), KindPing, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("call under an hour of latency = %v; want DeadlineExceeded", err)
	}
	a.SetLatency(0)
	if err := linkWorks(t, a, b); err != nil {
		t.Fatalf("call without latency: %v", err)
	}
}
