package api

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"time"
)

// Server-Sent Events framing (https://html.spec.whatwg.org/#server-sent-events).

// sseBatchBytes is how much framed output is gathered before it is written
// out even though more events are queued.
const sseBatchBytes = 32 << 10

// sseWriteTimeout bounds one write to the client: a client that takes no
// bytes for that long is gone, and its connection is dropped.
const sseWriteTimeout = time.Minute

// sseWriter frames events onto a response. Output gathers in buf until
// flush writes it and pushes it to the client.
type sseWriter struct {
	w      http.ResponseWriter
	rc     *http.ResponseController
	buf    []byte
	lastID string    // the id of the last event framed: where the client resumes
	wrote  bool      // something was framed since the last heartbeat tick
	armed  time.Time // when the write deadline was last pushed back
}

// newSSEWriter returns a writer on w; from is the position the client
// resumes after ("" for none).
func newSSEWriter(w http.ResponseWriter, from string) *sseWriter {
	return &sseWriter{w: w, rc: http.NewResponseController(w), buf: make([]byte, 0, 4096), lastID: from}
}

// start sends the headers and the client's reconnection delay.
func (sw *sseWriter) start(retry time.Duration) error {
	h := sw.w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	sw.w.WriteHeader(http.StatusOK)
	sw.retry(retry)
	return sw.flush()
}

// retry frames the reconnection delay a client should wait.
func (sw *sseWriter) retry(d time.Duration) {
	sw.buf = append(sw.buf, "retry: "...)
	sw.buf = strconv.AppendInt(sw.buf, d.Milliseconds(), 10)
	sw.buf = append(sw.buf, "\n\n"...)
}

// event frames one change event.
func (sw *sseWriter) event(ev ChangeEvent) {
	if ev.ID != "" {
		sw.buf = append(sw.buf, "id: "...)
		sw.buf = append(sw.buf, ev.ID...)
		sw.buf = append(sw.buf, '\n')
		sw.lastID = ev.ID
	}
	sw.buf = append(sw.buf, "event: change\n"...)
	sw.data(ev.Data)
	sw.wrote = true
}

// data frames a payload as data lines and ends the event. A payload with
// line breaks (JSON never has raw ones) takes one data line per line.
func (sw *sseWriter) data(b []byte) {
	for {
		i := bytes.IndexAny(b, "\r\n")
		if i < 0 {
			break
		}
		sw.buf = append(append(append(sw.buf, "data: "...), b[:i]...), '\n')
		if b[i] == '\r' && i+1 < len(b) && b[i+1] == '\n' {
			i++
		}
		b = b[i+1:]
	}
	sw.buf = append(append(append(sw.buf, "data: "...), b...), "\n\n"...)
}

// heartbeat frames a comment, which keeps proxies from closing an idle
// stream and which clients ignore.
func (sw *sseWriter) heartbeat() {
	sw.buf = append(sw.buf, ": heartbeat\n\n"...)
}

// fail frames the final error event: its code and message, and the id the
// client resumes after, with the delay to wait first. It has no id line: an
// empty one would reset the client's last event id.
func (sw *sseWriter) fail(code, msg string, retry time.Duration) {
	b := append(sw.buf, "retry: "...)
	b = strconv.AppendInt(b, retry.Milliseconds(), 10)
	b = append(b, "\nevent: error\ndata: {\"code\":"...)
	b = appendString(b, code)
	b = append(b, `,"message":`...)
	b = appendString(b, msg)
	b = append(b, `,"resume_from":`...)
	b = appendString(b, sw.lastID)
	sw.buf = append(b, "}\n\n"...)
}

// flush writes what was framed and pushes it to the client.
func (sw *sseWriter) flush() error {
	sw.arm()
	if len(sw.buf) > 0 {
		if _, err := sw.w.Write(sw.buf); err != nil {
			return err
		}
		sw.buf = sw.buf[:0]
	}
	return sw.rc.Flush()
}

// arm pushes the write deadline back (at most once a second: it is cheap
// but not free). A writer that cannot take deadlines is left as it is.
func (sw *sseWriter) arm() {
	now := time.Now()
	if now.Sub(sw.armed) < time.Second {
		return
	}
	if err := sw.rc.SetWriteDeadline(now.Add(sseWriteTimeout)); err != nil && errors.Is(err, http.ErrNotSupported) {
		return
	}
	sw.armed = now
}

// disarm clears the write deadline, which would outlive the response on a
// kept-alive connection.
func (sw *sseWriter) disarm() {
	if !sw.armed.IsZero() {
		_ = sw.rc.SetWriteDeadline(time.Time{})
	}
}
