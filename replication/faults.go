package replication

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrPartitioned is returned for traffic with a peer cut off by Partition.
var ErrPartitioned = errors.New("link partitioned")

// LinkFilter decides, for tests, whether traffic with a peer may flow. It
// gets the peer's address (for incoming connections the source address,
// which is the peer's listen address) and its verified node id. A non-nil
// error fails outgoing calls to that peer with it and refuses the peer's
// incoming requests (its callers get ErrRefused). It must be fast and safe
// for concurrent use.
type LinkFilter func(addr, nodeID string) error

// linkFaults is the fault layer of a Transport: a filter, partitioned node
// ids and an added latency per call. The zero value injects nothing.
type linkFaults struct {
	mu      sync.RWMutex
	filter  LinkFilter
	blocked map[string]bool
	latency time.Duration
}

// SetFilter installs f as the link filter (nil removes it).
func (t *Transport) SetFilter(f LinkFilter) {
	t.faults.mu.Lock()
	defer t.faults.mu.Unlock()
	t.faults.filter = f
}

// Partition cuts this node off from the given node ids, both ways: calls to
// them fail with ErrPartitioned and their requests are refused. It adds to
// earlier partitions. Setting it on one side of a link is enough.
func (t *Transport) Partition(nodeIDs ...string) {
	t.faults.mu.Lock()
	defer t.faults.mu.Unlock()
	if t.faults.blocked == nil {
		t.faults.blocked = make(map[string]bool)
	}
	for _, id := range nodeIDs {
		t.faults.blocked[id] = true
	}
}

// Heal removes every partition and the filter.
func (t *Transport) Heal() {
	t.faults.mu.Lock()
	defer t.faults.mu.Unlock()
	t.faults.blocked = nil
	t.faults.filter = nil
}

// SetLatency delays every outgoing call by d before it is sent (0 removes it).
func (t *Transport) SetLatency(d time.Duration) {
	t.faults.mu.Lock()
	defer t.faults.mu.Unlock()
	t.faults.latency = d
}

// check returns the error that blocks traffic with the peer, if any.
func (f *linkFaults) check(addr, nodeID string) error {
	f.mu.RLock()
	blocked, filter := f.blocked[nodeID], f.filter
	f.mu.RUnlock()
	if blocked {
		return fmt.Errorf("link to node %s: %w", nodeID, ErrPartitioned)
	}
	if filter != nil {
		return filter(addr, nodeID)
	}
	return nil
}

// delay waits out the added latency, or until ctx is done.
func (f *linkFaults) delay(ctx context.Context) error {
	f.mu.RLock()
	d := f.latency
	f.mu.RUnlock()
	if d <= 0 {
		return nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
