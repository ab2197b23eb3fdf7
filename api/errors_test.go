package api

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/warren-db/warren/engine"
)

func TestWriteError_StatusTable(t *testing.T) {
	var logs bytes.Buffer
	s := &Server{log: slog.New(slog.NewTextHandler(&logs, nil))}
	cases := []struct {
		err    error
		status int
		header string
	}{
		{engine.Errorf(engine.CodeInvalid, "m"), 400, ""},
		{engine.Errorf(engine.CodeSyntax, "m"), 400, ""},
		{engine.Errorf(engine.CodeSQL, "m"), 400, ""},
		{engine.Errorf(engine.CodeReadOnly, "m"), 400, ""},
		{engine.Errorf(engine.CodeConstraint, "m"), 409, ""},
		{engine.Errorf(engine.CodeNotFound, "m"), 404, ""},
		{engine.Errorf(engine.CodeTxNotFound, "m"), 404, ""},
		{engine.Errorf(engine.CodeExists, "m"), 409, ""},
		{engine.Errorf(engine.CodeTooLarge, "m"), 413, ""},
		{engine.Errorf(engine.CodeTimeout, "m"), 504, ""},
		{engine.Errorf(engine.CodeBusy, "m"), 503, "Retry-After"},
		{engine.Errorf(engine.CodeUnavailable, "m"), 503, "Retry-After"},
		{engine.Errorf(engine.CodeUnauthorized, "m"), 401, "WWW-Authenticate"},
		{engine.Errorf(engine.CodeForbidden, "m"), 403, ""},
	}
	for _, c := range cases {
		rec := httptest.NewRecorder()
		s.writeError(rec, httptest.NewRequest("GET", "/x", nil), c.err)
		code := engine.ErrorCode(c.err)
		if rec.Code != c.status {
			t.Errorf("%s: status %d, want %d", code, rec.Code, c.status)
		}
		if c.header != "" && rec.Header().Get(c.header) == "" {
			t.Errorf("%s: no %s header", code, c.header)
		}
		if want := `{"error":{"code":"` + string(code) + `","message":"m"}}`; rec.Body.String() != want {
			t.Errorf("%s: body %s, want %s", code, rec.Body, want)
		}
	}
	if logs.Len() != 0 {
		t.Errorf("client errors were logged: %s", logs.String())
	}
}

func TestWriteError_InternalHidesCause(t *testing.T) {
	var logs bytes.Buffer
	s := &Server{log: slog.New(slog.NewTextHandler(&logs, nil))}
	for _, err := range []error{
		errors.New("disk on fire at /secret/path"),
		&engine.Error{Code: engine.CodeInternal, Message: "disk on fire at /secret/path"},
		&engine.Error{Code: "made_up", Message: "disk on fire at /secret/path"},
	} {
		logs.Reset()
		rec := httptest.NewRecorder()
		s.writeError(rec, httptest.NewRequest("GET", "/x", nil), err)
		if rec.Code != 500 || rec.Body.String() != `{"error":{"code":"internal","message":"internal error"}}` {
			t.Errorf("%v: %d %s", err, rec.Code, rec.Body)
		}
		if !strings.Contains(logs.String(), "disk on fire") {
			t.Errorf("%v: the cause was not logged: %s", err, logs.String())
		}
	}
}

// panickyCluster makes /v1/cluster panic.
type panickyCluster struct{}

func (panickyCluster) NodeID() string            { panic("boom at /secret/path") }
func (panickyCluster) Members() []Member         { return nil }
func (panickyCluster) RemoveMember(string) error { return nil }

func TestServer_RecoversPanics(t *testing.T) {
	f := newFixture(t, Config{Cluster: panickyCluster{}}, nil)
	msg := f.do("GET", "/v1/cluster", nil).expectError(t, http.StatusInternalServerError, engine.CodeInternal)
	if strings.Contains(msg, "secret") {
		t.Errorf("the panic leaked: %q", msg)
	}
	f.do("GET", "/healthz", nil).expect(t, http.StatusOK)
}

// recordingObserver remembers observed requests.
type recordingObserver struct {
	mu   sync.Mutex
	seen []string
}

func (o *recordingObserver) ObserveRequest(method, route string, status int, elapsed time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.seen = append(o.seen, method+" "+route+" "+http.StatusText(status))
	if elapsed <= 0 {
		o.seen = append(o.seen, "no duration")
	}
}

func TestServer_Observer(t *testing.T) {
	obs := &recordingObserver{}
	f := newFixture(t, Config{Observer: obs}, nil)
	f.do("POST", "/v1/db/main/query", obj{"sql": "SELECT 1"}).expect(t, http.StatusOK)
	f.do("POST", "/v1/db/nope/query", obj{"sql": "SELECT 1"}).expect(t, http.StatusNotFound)
	want := "POST /v1/db/{db}/query OK|POST /v1/db/{db}/query Not Found"
	if got := strings.Join(obs.seen, "|"); got != want {
		t.Errorf("observed %q, want %q", got, want)
	}
}
