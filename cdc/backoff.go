package cdc

import (
	"math/rand/v2"
	"time"
)

// pubBackoff spaces out retries: the delay doubles from min up to max after
// each failure, with up to half of it random (jitter), and returns to min
// after a success.
type pubBackoff struct {
	min, max time.Duration
	next     time.Duration
}

// delay returns the wait before the next retry and doubles the one after.
func (b *pubBackoff) delay() time.Duration {
	if b.next < b.min {
		b.next = b.min
	}
	d := b.next
	b.next = min(2*b.next, b.max)
	return d/2 + rand.N(d/2+1)
}

// reset starts over from min after a success.
func (b *pubBackoff) reset() { b.next = 0 }
