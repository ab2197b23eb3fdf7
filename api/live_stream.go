package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/warren-db/warren/engine"
)

// A live stream runs its query in its own goroutine, which renders each
// event and hands it over through a bounded buffer, like the change feed
// (changes_stream.go, whose SSE writer, settings and shutdown hub it
// shares): a client that leaves the buffer full for ChangesStall is
// dropped with a slow_consumer error event. The headers wait for the first
// event, so a query that fails at once (no such table) answers JSON.

// liveRetry is the reconnection delay sent with a live stream's final
// error. A reconnecting client starts the query again, fresh rows first.
const liveRetry = 2 * time.Second

// liveFrame is one rendered event.
type liveFrame struct {
	name string
	id   string
	data []byte
}

// livePump runs a live stream and buffers its rendered events.
type livePump struct {
	frames chan liveFrame
	stall  time.Duration
	done   chan struct{} // closed when the stream has returned
	err    error         // what it returned; read after done
}

// runLive streams the live query to the client of w.
func (s *Server) runLive(w http.ResponseWriter, r *http.Request, stream LiveStream, int64AsString bool) error {
	stop := s.streams.closed()
	ctx, cancel := context.WithCancel(r.Context())
	p := &livePump{frames: make(chan liveFrame, orDefault(s.cfg.ChangesBuffer, DefaultChangesBuffer)),
		stall: orDefault(s.cfg.ChangesStall, DefaultChangesStall), done: make(chan struct{})}
	go p.run(ctx, stream, int64AsString)
	defer func() { cancel(); <-p.done }()
	var first *liveFrame
	select {
	case f := <-p.frames:
		first = &f
	case <-p.done:
		if len(p.frames) == 0 {
			if p.err == nil {
				p.err = engine.Errorf(engine.CodeInternal, "live query ended without an event")
			}
			return p.err // nothing was sent: the request's error, as JSON
		}
	case <-stop:
		return engine.Errorf(engine.CodeUnavailable, "the node is shutting down")
	case <-ctx.Done():
		return nil
	}
	s.sendLive(w, r, p, stop, first)
	return nil
}

// sendLive starts the SSE response and writes frames (first, then the
// pump's) until the stream ends, the client leaves or the server closes.
func (s *Server) sendLive(w http.ResponseWriter, r *http.Request, p *livePump, stop <-chan struct{}, first *liveFrame) {
	sw := newSSEWriter(w, "")
	defer sw.disarm()
	if sw.start(liveRetry) != nil {
		return
	}
	if first != nil {
		writeFrame(sw, *first)
	}
	tick := time.NewTicker(orDefault(s.cfg.ChangesHeartbeat, DefaultChangesHeartbeat))
	defer tick.Stop()
	for {
		if len(p.frames) == 0 || len(sw.buf) >= sseBatchBytes {
			if sw.flush() != nil {
				return
			}
		}
		select {
		case f := <-p.frames:
			writeFrame(sw, f)
		case <-tick.C:
			if !sw.wrote {
				sw.heartbeat()
			}
			sw.wrote = false
		case <-p.done:
			s.endLive(sw, r, p)
			return
		case <-stop:
			failLive(sw, string(engine.CodeUnavailable), "the node is shutting down; start the live query again")
			_ = sw.flush()
			return
		case <-r.Context().Done():
			return
		}
	}
}

// endLive sends what the stream left in the buffer and why it ended.
func (s *Server) endLive(sw *sseWriter, r *http.Request, p *livePump) {
	slow := errors.Is(p.err, errSlowConsumer)
	for !slow && len(p.frames) > 0 {
		writeFrame(sw, <-p.frames)
	}
	switch {
	case p.err == nil || r.Context().Err() != nil:
	case slow:
		failLive(sw, codeSlowConsumer, fmt.Sprintf("the client read too slowly: %d events waited for more than %s; "+
			"start the live query again", cap(p.frames), p.stall))
	default:
		code, msg := s.errorBody(r, p.err)
		failLive(sw, string(code), msg)
	}
	_ = sw.flush()
}

// run runs stream until it returns.
func (p *livePump) run(ctx context.Context, stream LiveStream, int64AsString bool) {
	defer close(p.done)
	p.err = stream(ctx, func(ev *LiveEvent) error {
		return p.put(ctx, liveFrame{name: ev.Kind, id: ev.ID, data: renderLive(ev, int64AsString)})
	})
}

// put queues f, waiting at most the stall time for room.
func (p *livePump) put(ctx context.Context, f liveFrame) error {
	select {
	case p.frames <- f:
		return nil
	default:
	}
	t := time.NewTimer(p.stall)
	defer t.Stop()
	select {
	case p.frames <- f:
		return nil
	case <-t.C:
		return errSlowConsumer
	case <-ctx.Done():
		return ctx.Err()
	}
}

// writeFrame frames one named event.
func writeFrame(sw *sseWriter, f liveFrame) {
	if f.id != "" {
		sw.buf = append(append(append(sw.buf, "id: "...), f.id...), '\n')
	}
	sw.buf = append(append(append(sw.buf, "event: "...), f.name...), '\n')
	sw.data(f.data)
	sw.wrote = true
}

// failLive frames the final error event, {"error": {"code", "message"}}
// like the API's error answers, with the delay before reconnecting.
func failLive(sw *sseWriter, code, msg string) {
	sw.buf = append(sw.buf, "retry: "...)
	sw.buf = strconv.AppendInt(sw.buf, liveRetry.Milliseconds(), 10)
	sw.buf = append(sw.buf, "\nevent: error\n"...)
	sw.data(appendErrorBody(nil, engine.Code(code), msg))
}
