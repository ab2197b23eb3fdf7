package replication

import (
	"sync"
	"time"

	"github.com/quic-go/quic-go"
)

// Kept streams. Over ALPN peerALPNKeep a call's stream outlives the call:
// the handler side answers requests on it one after another until the
// caller closes it, and the caller keeps it for its next call. A request
// then costs its frame and its answer only; a stream per call also costs a
// packet for its FIN or its STOP_SENDING, and the peer's MAX_STREAMS credit
// for the next one, on every call (measured: 13 datagrams per QUORUM change
// set over a 3-node cluster with one stream per call).
//
// A caller reuses a stream idle for less than half IdleTimeout, the handler
// side's wait for the next request, so it never sends on a stream its peer
// is giving up on.

// maxKeptStreams bounds the idle streams a link keeps.
const maxKeptStreams = 16

// keptStream is an idle stream and when its last call ended.
type keptStream struct {
	s     *quic.Stream
	since time.Time
}

// streamPool holds a link's idle kept streams, most recently used last.
type streamPool struct {
	mu   sync.Mutex
	idle []keptStream
}

// take returns the most recently used idle stream that idled less than
// maxIdle, closing the older ones; nil when there is none.
func (p *streamPool) take(maxIdle time.Duration) *quic.Stream {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.idle) > 0 {
		k := p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		if time.Since(k.since) < maxIdle {
			return k.s
		}
		endStream(k.s)
	}
	return nil
}

// put keeps s for a later call, or ends it when the pool is full.
func (p *streamPool) put(s *quic.Stream) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.idle) >= maxKeptStreams {
		endStream(s)
		return
	}
	p.idle = append(p.idle, keptStream{s: s, since: time.Now()})
}

// endStream tells the handler side that no more requests follow.
func endStream(s *quic.Stream) {
	_ = s.Close()
	s.CancelRead(codeCanceled)
}
