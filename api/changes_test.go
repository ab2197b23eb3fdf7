package api

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/warren-db/warren/engine"
)

// fakeFeed is a ChangeFeed whose streams the tests script.
type fakeFeed struct {
	mu      sync.Mutex
	opened  []ChangeRequest
	openErr error
	stream  func(req ChangeRequest) ChangeStream
}

func (f *fakeFeed) Open(_ context.Context, db string, req ChangeRequest) (ChangeStream, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.opened = append(f.opened, req)
	if f.openErr != nil {
		return nil, f.openErr
	}
	if db != "main" {
		return nil, engine.Errorf(engine.CodeNotFound, "database %q not found", db)
	}
	return f.stream(req), nil
}

// lastRequest returns the request of the last Open.
func (f *fakeFeed) lastRequest(t *testing.T) ChangeRequest {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.opened) == 0 {
		t.Fatal("the feed was never opened")
	}
	return f.opened[len(f.opened)-1]
}

// emitThen returns streams that emit evs and then end with err.
func emitThen(err error, evs ...ChangeEvent) func(ChangeRequest) ChangeStream {
	return func(ChangeRequest) ChangeStream {
		return func(_ context.Context, emit func(ChangeEvent) error) error {
			for _, ev := range evs {
				if err := emit(ev); err != nil {
					return err
				}
			}
			return err
		}
	}
}

// counting returns streams that emit events with ids after the request's
// position (1, 2, ...) and payload, up to limit, then wait for the end.
func counting(limit int, payload []byte) func(ChangeRequest) ChangeStream {
	return func(req ChangeRequest) ChangeStream {
		first := 1
		if req.From != "" {
			n, _ := strconv.Atoi(req.From)
			first = n + 1
		}
		return func(ctx context.Context, emit func(ChangeEvent) error) error {
			for i := first; i <= limit; i++ {
				if err := emit(ChangeEvent{ID: strconv.Itoa(i), Data: payload}); err != nil {
					return err
				}
			}
			<-ctx.Done()
			return ctx.Err()
		}
	}
}

// sseEvent is one parsed SSE block.
type sseEvent struct {
	id, event, data, retry string
	hasID                  bool
	comments               []string
}

// readSSE reads the next SSE block (up to a blank line).
func readSSE(br *bufio.Reader) (sseEvent, error) {
	var ev sseEvent
	var data []string
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return ev, err
		}
		line = strings.TrimSuffix(line, "\n")
		if line == "" {
			ev.data = strings.Join(data, "\n")
			return ev, nil
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "":
			ev.comments = append(ev.comments, value)
		case "id":
			ev.id, ev.hasID = value, true
		case "event":
			ev.event = value
		case "data":
			data = append(data, value)
		case "retry":
			ev.retry = value
		}
	}
}

// openStream starts a real HTTP server over f and opens a stream on path.
func openStream(t *testing.T, f *fixture, path string, header ...string) (*http.Response, *bufio.Reader) {
	t.Helper()
	ts := httptest.NewServer(f.srv)
	t.Cleanup(ts.Close)
	req, _ := http.NewRequestWithContext(t.Context(), "GET", ts.URL+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	if res.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(res.Body)
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	return res, bufio.NewReader(res.Body)
}

// mustRead reads the next SSE block or fails within a few seconds.
func mustRead(t *testing.T, br *bufio.Reader) sseEvent {
	t.Helper()
	type result struct {
		ev  sseEvent
		err error
	}
	got := make(chan result, 1)
	go func() { ev, err := readSSE(br); got <- result{ev, err} }()
	select {
	case r := <-got:
		if r.err != nil {
			t.Fatalf("read event: %v", r.err)
		}
		return r.ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5s")
	}
	return sseEvent{}
}

func TestChanges_FramingAndFinalError(t *testing.T) {
	feed := &fakeFeed{stream: emitThen(engine.ErrClosed,
		ChangeEvent{Data: []byte(`{"op":"r"}`)},
		ChangeEvent{ID: "7", Data: []byte(`{"op":"r","last":true}`)},
		ChangeEvent{ID: "8-0", Data: []byte("line1\nline2")},
	)}
	f := newFixture(t, Config{Changes: feed}, nil)
	res := f.do("GET", "/v1/db/main/changes", nil)
	res.expect(t, http.StatusOK)
	want := "retry: 2000\n\n" +
		"event: change\ndata: {\"op\":\"r\"}\n\n" +
		"id: 7\nevent: change\ndata: {\"op\":\"r\",\"last\":true}\n\n" +
		"id: 8-0\nevent: change\ndata: line1\ndata: line2\n\n" +
		"retry: 2000\nevent: error\ndata: {\"code\":\"unavailable\",\"message\":\"database is closed\",\"resume_from\":\"8-0\"}\n\n"
	if string(res.Body) != want {
		t.Fatalf("stream:\n%s\nwant:\n%s", res.Body, want)
	}
	for k, v := range map[string]string{"Content-Type": "text/event-stream", "Cache-Control": "no-cache", "X-Accel-Buffering": "no"} {
		if got := res.Header.Get(k); got != v {
			t.Errorf("header %s: %q, want %q", k, got, v)
		}
	}
}

func TestChanges_RequestParameters(t *testing.T) {
	feed := &fakeFeed{stream: emitThen(engine.ErrClosed)}
	f := newFixture(t, Config{Changes: feed}, nil)
	f.do("GET", "/v1/db/main/changes?tables=a,%20b,,c&ops=c,d&snapshot=true&from=12-3", nil).expect(t, http.StatusOK)
	req := feed.lastRequest(t)
	if strings.Join(req.Tables, "|") != "a|b|c" || strings.Join(req.Ops, "|") != "c|d" || !req.Snapshot || req.From != "12-3" {
		t.Errorf("request %+v", req)
	}
	f.do("GET", "/v1/db/main/changes?from=12-3", nil, withHeader("Last-Event-ID", "15-0")).expect(t, http.StatusOK)
	if req := feed.lastRequest(t); req.From != "15-0" || req.Snapshot || req.Tables != nil || req.Ops != nil {
		t.Errorf("Last-Event-ID must win over from: %+v", req)
	}
	// the final error's resume point is the client's own when nothing was sent
	if body := string(f.do("GET", "/v1/db/main/changes?from=4", nil).Body); !strings.Contains(body, `"resume_from":"4"`) {
		t.Errorf("final error without events: %s", body)
	}
}

func TestChanges_ErrorsBeforeStreaming(t *testing.T) {
	feed := &fakeFeed{stream: emitThen(engine.ErrClosed)}
	f := newFixture(t, Config{Changes: feed}, nil)
	f.do("GET", "/v1/db/nope/changes", nil).expectError(t, http.StatusNotFound, engine.CodeNotFound, "nope")
	f.do("GET", "/v1/db/main/changes?ops=c,x", nil).expectError(t, http.StatusBadRequest, engine.CodeInvalid, "ops")
	f.do("GET", "/v1/db/main/changes?snapshot=maybe", nil).expectError(t, http.StatusBadRequest, engine.CodeInvalid, "snapshot")
	f.do("GET", "/v1/db/main/changes?from=-1", nil).expectError(t, http.StatusBadRequest, engine.CodeInvalid, "from")

	feed.openErr = engine.ErrLogTrimmed
	f.do("GET", "/v1/db/main/changes?from=1", nil).expectError(t, http.StatusGone, engine.CodeGone, "trimmed")
	feed.openErr = engine.Errorf(engine.CodeInvalid, "position 99 is past the head")
	f.do("GET", "/v1/db/main/changes", nil, withHeader("Last-Event-ID", "99")).expectError(t, http.StatusBadRequest, engine.CodeInvalid, "past the head")

	off := newFixture(t, Config{}, nil)
	off.do("GET", "/v1/db/main/changes", nil).expectError(t, http.StatusNotFound, engine.CodeNotFound, "not enabled")
}

func TestChanges_NeedsReadRight(t *testing.T) {
	feed := &fakeFeed{stream: emitThen(engine.ErrClosed)}
	tokens := []Token{
		{Name: "reader", Token: "r", Rights: map[string]Right{"main": RightRead}},
		{Name: "other", Token: "o", Rights: map[string]Right{"other": RightAdmin}},
	}
	f := newFixture(t, Config{Changes: feed, Tokens: tokens}, nil)
	f.do("GET", "/v1/db/main/changes", nil).expectError(t, http.StatusUnauthorized, engine.CodeUnauthorized)
	f.as("o").do("GET", "/v1/db/main/changes", nil).expectError(t, http.StatusForbidden, engine.CodeForbidden, "read")
	f.as("r").do("GET", "/v1/db/main/changes", nil).expect(t, http.StatusOK)
}

func TestChanges_CORSForEventSource(t *testing.T) {
	const app = "https://app.example"
	f := newFixture(t, Config{Changes: &fakeFeed{stream: emitThen(engine.ErrClosed)}, CORSOrigins: []string{app}}, nil)
	req := httptest.NewRequest(http.MethodOptions, "/v1/db/main/changes", nil)
	req.Header.Set("Origin", app)
	req.Header.Set("Access-Control-Request-Method", "GET")
	req.Header.Set("Access-Control-Request-Headers", "last-event-id")
	pre := f.send(req, nil)
	if pre.Header.Get("Access-Control-Allow-Origin") != app || !strings.Contains(strings.ToLower(pre.Header.Get("Access-Control-Allow-Headers")), "last-event-id") {
		t.Errorf("preflight for a reconnecting EventSource: %v", pre.Header)
	}
	res := f.do("GET", "/v1/db/main/changes", nil, withHeader("Origin", app))
	if res.expect(t, http.StatusOK); res.Header.Get("Access-Control-Allow-Origin") != app {
		t.Errorf("stream Allow-Origin %q", res.Header.Get("Access-Control-Allow-Origin"))
	}
}

func TestChanges_EventsAreFlushedAtOnce(t *testing.T) {
	next := make(chan struct{})
	feed := &fakeFeed{stream: func(ChangeRequest) ChangeStream {
		return func(ctx context.Context, emit func(ChangeEvent) error) error {
			for i := 1; ; i++ {
				if err := emit(ChangeEvent{ID: strconv.Itoa(i), Data: []byte(`{}`)}); err != nil {
					return err
				}
				select { // the next event only once the client has this one
				case <-next:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
		}
	}}
	// with an Observer, whose status-recording writer must let flushes through
	f := newFixture(t, Config{Changes: feed, ChangesHeartbeat: time.Hour, Observer: &recordingObserver{}}, nil)
	_, br := openStream(t, f, "/v1/db/main/changes")
	if ev := mustRead(t, br); ev.retry != "2000" {
		t.Fatalf("first block %+v, want the retry delay", ev)
	}
	for i := 1; i <= 3; i++ {
		if ev := mustRead(t, br); ev.id != strconv.Itoa(i) || ev.event != "change" {
			t.Fatalf("event %d: %+v", i, ev)
		}
		next <- struct{}{}
	}
}

func TestChanges_HeartbeatsOnIdleStream(t *testing.T) {
	feed := &fakeFeed{stream: counting(0, nil)}
	f := newFixture(t, Config{Changes: feed, ChangesHeartbeat: 20 * time.Millisecond}, nil)
	res, br := openStream(t, f, "/v1/db/main/changes")
	if res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("content type %q", res.Header.Get("Content-Type"))
	}
	mustRead(t, br) // retry
	for range 3 {
		ev := mustRead(t, br)
		if len(ev.comments) != 1 || ev.comments[0] != "heartbeat" || ev.event != "" || ev.hasID {
			t.Fatalf("idle stream sent %+v, want a heartbeat comment", ev)
		}
	}
}

func TestChanges_SlowConsumerIsCutAndResumesWithoutLoss(t *testing.T) {
	const total = 3000
	payload := []byte(`"` + strings.Repeat("x", 16<<10) + `"`)
	feed := &fakeFeed{stream: counting(total, payload)}
	f := newFixture(t, Config{Changes: feed, ChangesBuffer: 4, ChangesStall: 50 * time.Millisecond, ChangesHeartbeat: time.Hour}, nil)
	_, br := openStream(t, f, "/v1/db/main/changes")
	time.Sleep(400 * time.Millisecond) // read nothing: socket buffers and the event buffer fill up

	last := 0
	for {
		ev := mustRead(t, br)
		if ev.retry != "" && ev.event == "" {
			continue
		}
		if ev.event == "error" {
			want := `{"code":"slow_consumer",`
			if !strings.HasPrefix(ev.data, want) || !strings.Contains(ev.data, `"resume_from":"`+strconv.Itoa(last)+`"`) || ev.retry == "" {
				t.Fatalf("final error %+v after event %d", ev, last)
			}
			break
		}
		if ev.id != strconv.Itoa(last+1) || ev.data != string(payload) {
			t.Fatalf("after event %d got id %q", last, ev.id)
		}
		last++
	}
	if last == 0 || last >= total {
		t.Fatalf("the slow client got %d of %d events before being cut", last, total)
	}
	if _, err := br.ReadString('\n'); err != io.EOF {
		t.Fatalf("the stream goes on after its final error: %v", err)
	}

	_, br = openStream(t, f, "/v1/db/main/changes", "Last-Event-ID", strconv.Itoa(last))
	mustRead(t, br) // retry
	if ev := mustRead(t, br); ev.id != strconv.Itoa(last+1) {
		t.Fatalf("resumed after %d at %q", last, ev.id)
	}
}

func TestChanges_MidStreamErrors(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{engine.ErrLogTrimmed, `{"code":"gone","message":"` + engine.ErrLogTrimmed.Message + `","resume_from":"3-1"}`},
		{errors.New("disk on fire"), `{"code":"internal","message":"internal error","resume_from":"3-1"}`},
	} {
		f := newFixture(t, Config{Changes: &fakeFeed{stream: emitThen(c.err, ChangeEvent{ID: "3-1", Data: []byte(`{}`)})}}, nil)
		body := string(f.do("GET", "/v1/db/main/changes", nil).Body)
		if !strings.HasSuffix(body, "event: error\ndata: "+c.want+"\n\n") {
			t.Errorf("%v: stream ends with\n%s\nwant data %s", c.err, body, c.want)
		}
	}
}

func TestChanges_CloseStreamsEndsOpenStreams(t *testing.T) {
	f := newFixture(t, Config{Changes: &fakeFeed{stream: counting(2, []byte(`{}`))}, ChangesHeartbeat: time.Hour}, nil)
	_, br := openStream(t, f, "/v1/db/main/changes")
	for range 3 { // retry, 1, 2
		mustRead(t, br)
	}
	f.srv.CloseStreams()
	ev := mustRead(t, br)
	if ev.event != "error" || !strings.Contains(ev.data, `"code":"unavailable"`) || !strings.Contains(ev.data, `"resume_from":"2"`) {
		t.Fatalf("on close the stream sent %+v", ev)
	}
	f.do("GET", "/v1/db/main/changes", nil).expectError(t, http.StatusServiceUnavailable, engine.CodeUnavailable, "shutting down")
}
