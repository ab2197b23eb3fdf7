package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/warren-db/warren/engine"
)

// changesRetry is the reconnection delay sent to clients, at the start of
// a stream and with its final error.
const changesRetry = 2 * time.Second

// codeSlowConsumer is the code of the final error sent to a client that
// does not read fast enough.
const codeSlowConsumer = "slow_consumer"

// errSlowConsumer ends a stream whose buffer stayed full too long.
var errSlowConsumer = errors.New("slow consumer")

// runStream streams the events of stream to the client of w until the
// stream ends (it then sends a final error event), the client leaves, or
// the server closes its streams. Headers are sent at once, so every
// outcome from here on is told in the stream, never as a JSON error.
func (s *Server) runStream(w http.ResponseWriter, r *http.Request, stream ChangeStream, from string) error {
	stop := s.streams.closed()
	select {
	case <-stop:
		return engine.Errorf(engine.CodeUnavailable, "the node is shutting down")
	default:
	}
	ctx, cancel := context.WithCancel(r.Context())
	p := newPump(orDefault(s.cfg.ChangesBuffer, DefaultChangesBuffer), orDefault(s.cfg.ChangesStall, DefaultChangesStall))
	go p.run(ctx, stream)
	defer func() { cancel(); <-p.done }()
	sw := newSSEWriter(w, from)
	defer sw.disarm()
	if sw.start(changesRetry) != nil {
		return nil
	}
	tick := time.NewTicker(orDefault(s.cfg.ChangesHeartbeat, DefaultChangesHeartbeat))
	defer tick.Stop()
	for {
		select {
		case ev := <-p.events:
			sw.event(ev)
			if (len(p.events) == 0 || len(sw.buf) >= sseBatchBytes) && sw.flush() != nil {
				return nil
			}
		case <-tick.C:
			if !sw.wrote {
				sw.heartbeat()
				if sw.flush() != nil {
					return nil
				}
			}
			sw.wrote = false
		case <-p.done:
			s.endStream(sw, r, p)
			return nil
		case <-stop:
			sw.fail(string(engine.CodeUnavailable), "the node is shutting down; reconnect with Last-Event-ID", changesRetry)
			_ = sw.flush()
			return nil
		case <-ctx.Done():
			return nil
		}
	}
}

// endStream tells the client why its stream ended, after the events
// already queued (unless it was too slow to take them).
func (s *Server) endStream(sw *sseWriter, r *http.Request, p *pump) {
	slow := errors.Is(p.err, errSlowConsumer)
	for !slow && len(p.events) > 0 {
		sw.event(<-p.events)
	}
	switch {
	case p.err == nil || r.Context().Err() != nil:
	case slow:
		sw.fail(codeSlowConsumer, fmt.Sprintf("the client read too slowly: %d events waited for more than %s; "+
			"reconnect with Last-Event-ID to resume", cap(p.events), p.stall), changesRetry)
	default:
		code, msg := s.errorBody(r, p.err)
		sw.fail(string(code), msg, changesRetry)
	}
	_ = sw.flush()
}

// pump runs a stream in its own goroutine and hands its events over through
// a bounded buffer.
type pump struct {
	events chan ChangeEvent
	stall  time.Duration
	done   chan struct{} // closed when the stream has returned
	err    error         // what it returned; read after done
}

func newPump(size int, stall time.Duration) *pump {
	return &pump{events: make(chan ChangeEvent, size), stall: stall, done: make(chan struct{})}
}

// run runs stream until it returns.
func (p *pump) run(ctx context.Context, stream ChangeStream) {
	defer close(p.done)
	p.err = stream(ctx, func(ev ChangeEvent) error { return p.put(ctx, ev) })
}

// put queues ev. A full buffer is waited on for at most the stall time:
// the client is then too slow (or stuck) and the stream gives up rather
// than hold the feed's resources for it.
func (p *pump) put(ctx context.Context, ev ChangeEvent) error {
	select {
	case p.events <- ev:
		return nil
	default:
	}
	t := time.NewTimer(p.stall)
	defer t.Stop()
	select {
	case p.events <- ev:
		return nil
	case <-t.C:
		return errSlowConsumer
	case <-ctx.Done():
		return ctx.Err()
	}
}

// streamHub lets the server end every open stream at once. Its zero value
// is open.
type streamHub struct {
	mu       sync.Mutex
	done     chan struct{}
	isClosed bool
}

// closed returns a channel closed when the hub closes.
func (h *streamHub) closed() <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.done == nil {
		h.done = make(chan struct{})
	}
	return h.done
}

// close ends every stream, open or to come.
func (h *streamHub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.done == nil {
		h.done = make(chan struct{})
	}
	if !h.isClosed {
		h.isClosed = true
		close(h.done)
	}
}

// CloseStreams ends the open change streams, each with a final error event
// that tells its client to reconnect, and refuses new ones. Call it when
// the HTTP server begins to shut down: http.Server.Shutdown waits for
// handlers, and a stream's handler only returns when the stream ends.
func (s *Server) CloseStreams() { s.streams.close() }

// orDefault returns v, or def when v is not positive.
func orDefault[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}
