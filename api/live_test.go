package api

import (
	"context"
	"io"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/warren-db/warren/engine"
)

// fakeLive serves live queries from a canned stream and records requests.
type fakeLive struct {
	mu      sync.Mutex
	db      string
	st      engine.Statement
	openErr error
	stream  LiveStream
}

func (f *fakeLive) Open(db string, st engine.Statement) (LiveStream, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.db, f.st = db, st
	if f.openErr != nil {
		return nil, f.openErr
	}
	return f.stream, nil
}

// liveThen emits evs, then returns err (nil: waits for the client to leave).
func liveThen(err error, evs ...*LiveEvent) LiveStream {
	return func(ctx context.Context, emit func(*LiveEvent) error) error {
		for _, ev := range evs {
			if e := emit(ev); e != nil {
				return e
			}
		}
		if err != nil {
			return err
		}
		<-ctx.Done()
		return ctx.Err()
	}
}

var liveStart = []*LiveEvent{
	{Kind: "columns", Columns: []engine.Column{{Name: "id", DeclType: "INTEGER"}, {Name: "b", DeclType: "BLOB"}}, KeyColumns: []string{"id"}, Mode: "incremental"},
	{Kind: "rows", Rows: [][]engine.Value{{int64(1) << 60, []byte{0, 255}}, {int64(2), nil}}, Keys: [][]engine.Value{{int64(1) << 60}, {int64(2)}}},
	{Kind: "ready", ID: "12"},
	{Kind: "insert", ID: "13-0", Key: []engine.Value{int64(3)}, New: []engine.Value{int64(3), 1.5}},
	{Kind: "update", ID: "14-1", Key: []engine.Value{int64(2)}, Old: []engine.Value{int64(2), nil}, New: []engine.Value{int64(2), "x\ny"}},
	{Kind: "delete", ID: "15-0", Key: []engine.Value{int64(3)}, Old: []engine.Value{int64(3), 1.5}},
}

func liveURL(sql string, extra ...string) string {
	q := url.Values{"sql": {sql}}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return "/v1/db/main/live?" + q.Encode()
}

func TestLive_FramingAndValues(t *testing.T) {
	live := &fakeLive{stream: liveThen(engine.Errorf(engine.CodeGone, "schema changed"), liveStart...)}
	f := newFixture(t, Config{LiveQueries: live}, nil)
	res, br := openStream(t, f, liveURL("SELECT id, b FROM t WHERE id > ?", "params", "[1, {\"base64\": \"AP8=\"}]", "int64", "string"))
	if res.Header.Get("Content-Type") != "text/event-stream" || res.Header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("headers %v", res.Header)
	}
	if ev := mustRead(t, br); ev.retry == "" {
		t.Fatalf("first block %+v, want the retry delay", ev)
	}
	for _, want := range []sseEvent{
		{event: "columns", data: `{"columns":["id","b"],"types":["INTEGER","BLOB"],"key":["id"],"mode":"incremental"}`},
		{event: "rows", data: `{"rows":[["1152921504606846976",{"base64":"AP8="}],[2,null]],"keys":[["1152921504606846976"],[2]]}`},
		{event: "ready", id: "12", hasID: true, data: `{"pos":"12"}`},
		{event: "insert", id: "13-0", hasID: true, data: `{"key":[3],"row":[3,1.5]}`},
		{event: "update", id: "14-1", hasID: true, data: `{"key":[2],"old":[2,null],"new":[2,"x\ny"]}`},
		{event: "delete", id: "15-0", hasID: true, data: `{"key":[3],"row":[3,1.5]}`},
	} {
		got := mustRead(t, br)
		got.retry, got.comments = "", nil
		if got.event != want.event || got.id != want.id || got.hasID != want.hasID || got.data != want.data {
			t.Fatalf("got %+v\nwant %+v", got, want)
		}
	}
	end := mustRead(t, br)
	if end.event != "error" || end.data != `{"error":{"code":"gone","message":"schema changed"}}` || end.retry == "" || end.hasID {
		t.Fatalf("final event %+v", end)
	}
	if _, err := br.ReadString('\n'); err != io.EOF {
		t.Fatalf("the stream goes on after its final error: %v", err)
	}
	live.mu.Lock()
	defer live.mu.Unlock()
	p := live.st.Params.Positional
	if live.db != "main" || live.st.SQL != "SELECT id, b FROM t WHERE id > ?" || len(p) != 2 || p[0] != int64(1) || string(p[1].([]byte)) != "\x00\xff" {
		t.Fatalf("opened %q %+v", live.db, live.st)
	}
}

func TestLive_ErrorsBeforeStreaming(t *testing.T) {
	for _, c := range []struct {
		name   string
		live   *fakeLive
		path   string
		status int
		code   string
	}{
		{"not enabled", nil, liveURL("SELECT 1"), 404, "not_found"},
		{"refused at open", &fakeLive{openErr: engine.Errorf(engine.CodeReadOnly, "a live query must not write")}, liveURL("DELETE FROM t"), 400, "read_only"},
		{"failed before the first event", &fakeLive{stream: liveThen(engine.Errorf(engine.CodeSQL, "no such table: nowhere"))}, liveURL("SELECT * FROM nowhere"), 400, "sql_error"},
		{"bad params", &fakeLive{stream: liveThen(nil)}, liveURL("SELECT ?", "params", "[1,"), 400, "invalid_argument"},
		{"params not a list", &fakeLive{stream: liveThen(nil)}, liveURL("SELECT ?", "params", `"x"`), 400, "invalid_argument"},
		{"empty sql", &fakeLive{stream: liveThen(nil)}, "/v1/db/main/live?sql=", 400, "invalid_argument"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := Config{}
			if c.live != nil {
				cfg.LiveQueries = c.live
			}
			f := newFixture(t, cfg, nil)
			res := f.do("GET", c.path, nil)
			if res.Status != c.status || !strings.Contains(string(res.Body), `"code":"`+c.code+`"`) {
				t.Fatalf("status %d %s, want %d %s", res.Status, res.Body, c.status, c.code)
			}
		})
	}
}

func TestLive_NeedsReadRight(t *testing.T) {
	live := &fakeLive{stream: liveThen(nil, liveStart...)}
	f := newFixture(t, Config{LiveQueries: live, Tokens: []Token{
		{Name: "other", Token: "other-db-token", Rights: map[string]Right{"other": RightRead}},
	}}, nil)
	if res := f.do("GET", liveURL("SELECT 1"), nil); res.Status != 401 {
		t.Fatalf("no token: %d", res.Status)
	}
	if res := f.as("other-db-token").do("GET", liveURL("SELECT 1"), nil); res.Status != 403 {
		t.Fatalf("token for another database: %d", res.Status)
	}
}

func TestLive_HeartbeatsAndShutdown(t *testing.T) {
	live := &fakeLive{stream: liveThen(nil, liveStart[:3]...)}
	f := newFixture(t, Config{LiveQueries: live, ChangesHeartbeat: 20 * time.Millisecond}, nil)
	_, br := openStream(t, f, liveURL("SELECT id, b FROM t"))
	for range 4 { // retry, columns, rows, ready
		mustRead(t, br)
	}
	for range 2 {
		if ev := mustRead(t, br); len(ev.comments) != 1 || ev.comments[0] != "heartbeat" {
			t.Fatalf("idle stream sent %+v, want a heartbeat", ev)
		}
	}
	f.srv.CloseStreams()
	for {
		ev := mustRead(t, br)
		if ev.event == "error" {
			if !strings.Contains(ev.data, `"code":"unavailable"`) {
				t.Fatalf("final event %+v", ev)
			}
			return
		}
	}
}

func TestLive_SlowConsumerIsCut(t *testing.T) {
	payload := strings.Repeat("x", 16<<10)
	stream := func(ctx context.Context, emit func(*LiveEvent) error) error {
		if err := emit(liveStart[0]); err != nil {
			return err
		}
		for i := int64(0); ; i++ {
			if err := emit(&LiveEvent{Kind: "insert", ID: "1", Key: []engine.Value{i}, New: []engine.Value{i, payload}}); err != nil {
				return err
			}
		}
	}
	f := newFixture(t, Config{LiveQueries: &fakeLive{stream: stream}, ChangesBuffer: 4,
		ChangesStall: 50 * time.Millisecond, ChangesHeartbeat: time.Hour}, nil)
	_, br := openStream(t, f, liveURL("SELECT * FROM t"))
	time.Sleep(400 * time.Millisecond) // read nothing: socket buffers and the event buffer fill up
	for n := 0; ; n++ {
		ev := mustRead(t, br)
		if ev.event == "error" {
			if !strings.HasPrefix(ev.data, `{"error":{"code":"slow_consumer",`) || n < 2 {
				t.Fatalf("final event %+v after %d events", ev, n)
			}
			return
		}
	}
}
