package engine

import (
	"sync"
	"time"
)

// HLC is a hybrid logical clock reading: 48 bits of wall-clock milliseconds
// and 16 bits of logical counter. Readings order changes across nodes.
type HLC uint64

// Wall returns the wall-clock part of the reading.
func (h HLC) Wall() time.Time { return time.UnixMilli(int64(h >> 16)) }

// Logical returns the logical counter.
func (h HLC) Logical() uint16 { return uint16(h) }

func makeHLC(ms int64, logical uint16) HLC { return HLC(uint64(ms)<<16 | uint64(logical)) }

// Clock issues HLC readings. It is safe for concurrent use.
type Clock struct {
	mu   sync.Mutex
	last HLC
	now  func() time.Time
}

// NewClock returns a clock on the system time.
func NewClock() *Clock { return &Clock{now: time.Now} }

// Now returns a reading greater than every reading issued or observed before.
func (c *Clock) Now() HLC {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.advance(0)
}

// Observe merges a remote reading (the receive rule: max(local, remote, now))
// and returns a reading greater than both.
func (c *Clock) Observe(remote HLC) HLC {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.advance(remote)
}

func (c *Clock) advance(remote HLC) HLC {
	wall := makeHLC(c.now().UnixMilli(), 0)
	next := max(wall, c.last+1, remote+1)
	c.last = next
	return next
}
