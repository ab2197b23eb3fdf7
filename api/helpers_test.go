package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/warren-db/warren/engine"
)

// specFile is openapi.yaml, read once for the whole package.
var specFile = sync.OnceValues(func() ([]byte, error) { return os.ReadFile("../openapi.yaml") })

// testSpec returns the spec bytes and a kin-openapi router over them.
func testSpec(t testing.TB) ([]byte, *openapi3.T, routers.Router) {
	t.Helper()
	spec, err := specFile()
	if err != nil {
		t.Fatalf("read spec: %v", err)
	}
	doc, err := loadSpec(spec)
	if err != nil {
		t.Fatal(err)
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatalf("build spec router: %v", err)
	}
	return spec, doc, router
}

// quietLogger drops log output.
func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// openEngine opens a real engine in a temporary data dir.
func openEngine(t testing.TB, tune func(*engine.Config)) *engine.Engine {
	t.Helper()
	cfg := engine.DefaultConfig()
	cfg.DataDir = t.TempDir()
	cfg.Logger = quietLogger()
	if tune != nil {
		tune(&cfg)
	}
	eng, err := engine.Open(cfg)
	if err != nil {
		t.Fatalf("open engine: %v", err)
	}
	t.Cleanup(func() { _ = eng.Close() })
	return eng
}

// fixture is a server over a real engine and a client that checks every
// request and response against the spec.
type fixture struct {
	t      testing.TB
	srv    *Server
	eng    *engine.Engine
	router routers.Router
	token  string // sent as the bearer token when not ""
}

// newFixture starts a server on a fresh engine (with database "main").
func newFixture(t testing.TB, cfg Config, tune func(*engine.Config)) *fixture {
	t.Helper()
	spec, _, router := testSpec(t)
	eng := openEngine(t, tune)
	cfg.Spec = spec
	if cfg.Logger == nil {
		cfg.Logger = quietLogger()
	}
	srv, err := New(eng, cfg)
	if err != nil {
		t.Fatalf("new server: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return &fixture{t: t, srv: srv, eng: eng, router: router}
}

// as returns a client of the same server that sends token.
func (f *fixture) as(token string) *fixture {
	c := *f
	c.token = token
	return &c
}

// response is a recorded answer.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// reqOption adjusts a request before it is sent.
type reqOption func(*http.Request)

func withHeader(k, v string) reqOption { return func(r *http.Request) { r.Header.Set(k, v) } }

// do sends a request through the full handler. body is nil, a string (sent
// as is) or a value (sent as JSON). Every request is validated against the
// spec: one the spec refuses must be refused by the server too. Every
// response is validated against the spec, statuses included.
func (f *fixture) do(method, path string, body any, opts ...reqOption) *response {
	f.t.Helper()
	raw := encodeBody(f.t, body)
	req := httptest.NewRequest(method, path, bytes.NewReader(raw))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if f.token != "" {
		req.Header.Set("Authorization", "Bearer "+f.token)
	}
	for _, o := range opts {
		o(req)
	}
	return f.send(req, raw)
}

// send serves req (whose body is raw) and validates both sides.
func (f *fixture) send(req *http.Request, raw []byte) *response {
	f.t.Helper()
	if isPreflight(req) {
		return f.sendPreflight(req)
	}
	route, params, err := f.router.FindRoute(req)
	if err != nil {
		f.t.Fatalf("%s %s is not in openapi.yaml: %v", req.Method, req.URL.Path, err)
	}
	reqErr := f.validateRequest(req, raw, route, params)
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	res := &response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
	if reqErr != nil && (res.Status < 400 || res.Status >= 500) {
		f.t.Fatalf("%s %s: the spec refuses the request (%v) but the server answered %d %s",
			req.Method, req.URL, reqErr, res.Status, res.Body)
	}
	f.validateResponse(req, raw, route, params, res)
	return res
}

// validateRequest checks a copy of req against the spec.
func (f *fixture) validateRequest(req *http.Request, raw []byte, route *routers.Route, params map[string]string) error {
	clone := req.Clone(context.Background())
	clone.Body = io.NopCloser(bytes.NewReader(raw))
	return openapi3filter.ValidateRequest(context.Background(), &openapi3filter.RequestValidationInput{
		Request: clone, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
	})
}

// validateResponse fails the test unless res matches the spec, status included.
func (f *fixture) validateResponse(req *http.Request, raw []byte, route *routers.Route, params map[string]string, res *response) {
	f.t.Helper()
	clone := req.Clone(context.Background())
	clone.Body = io.NopCloser(bytes.NewReader(raw))
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: clone, PathParams: params, Route: route},
		Status:                 res.Status,
		Header:                 res.Header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	input.SetBodyBytes(res.Body)
	if err := openapi3filter.ValidateResponse(context.Background(), input); err != nil {
		f.t.Fatalf("%s %s: response does not match openapi.yaml: %v\nstatus %d body %s",
			req.Method, req.URL, err, res.Status, res.Body)
	}
}

// isPreflight reports whether req is a CORS preflight, which is not an API
// operation of its own.
func isPreflight(req *http.Request) bool {
	return req.Method == http.MethodOptions && req.Header.Get("Access-Control-Request-Method") != ""
}

// sendPreflight checks that a preflight targets an operation of the spec and
// that its answer is an empty success.
func (f *fixture) sendPreflight(req *http.Request) *response {
	f.t.Helper()
	target := req.Clone(context.Background())
	target.Method = req.Header.Get("Access-Control-Request-Method")
	if _, _, err := f.router.FindRoute(target); err != nil {
		f.t.Fatalf("preflight for %s %s, which is not in openapi.yaml: %v", target.Method, req.URL.Path, err)
	}
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK && rec.Code != http.StatusNoContent || rec.Body.Len() != 0 {
		f.t.Fatalf("preflight answered %d %q, want an empty 200 or 204", rec.Code, rec.Body)
	}
	return &response{Status: rec.Code, Header: rec.Header()}
}

// encodeBody turns a do body into bytes.
func encodeBody(t testing.TB, body any) []byte {
	t.Helper()
	switch b := body.(type) {
	case nil:
		return nil
	case string:
		return []byte(b)
	case []byte:
		return b
	}
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatalf("encode body: %v", err)
	}
	return raw
}

// obj is a JSON object, for brevity.
type obj = map[string]any

// json decodes the body with numbers kept exact.
func (r *response) json(t testing.TB) obj {
	t.Helper()
	var m obj
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("decode %q: %v", r.Body, err)
	}
	return m
}

// expect fails unless the status is want; it returns the decoded body (nil
// for a body that is not JSON).
func (r *response) expect(t testing.TB, want int) obj {
	t.Helper()
	if r.Status != want {
		t.Fatalf("status %d, want %d; body %.500s", r.Status, want, r.Body)
	}
	if len(r.Body) == 0 || r.Header.Get("Content-Type") != "application/json" {
		return nil
	}
	return r.json(t)
}

// expectError fails unless the answer is status with error code and a
// message containing every piece of wantInMsg.
func (r *response) expectError(t testing.TB, status int, code engine.Code, wantInMsg ...string) string {
	t.Helper()
	body := r.expect(t, status)
	e, _ := body["error"].(obj)
	if e == nil || e["code"] != string(code) {
		t.Fatalf("error %s, want code %q", r.Body, code)
	}
	msg, _ := e["message"].(string)
	for _, w := range wantInMsg {
		if !strings.Contains(msg, w) {
			t.Fatalf("error message %q does not mention %q", msg, w)
		}
	}
	return msg
}

// exec runs statements atomically and fails the test on error.
func (f *fixture) exec(db string, sqls ...string) obj {
	f.t.Helper()
	sts := make([]obj, len(sqls))
	for i, s := range sqls {
		sts[i] = obj{"sql": s}
	}
	return f.do("POST", "/v1/db/"+db+"/exec", obj{"statements": sts}).expect(f.t, http.StatusOK)
}

// rows runs a query and returns its rows.
func (f *fixture) rows(db, sql string, params ...any) []any {
	f.t.Helper()
	body := obj{"sql": sql}
	if len(params) > 0 {
		body["params"] = params
	}
	res := f.do("POST", "/v1/db/"+db+"/query", body).expect(f.t, http.StatusOK)
	return res["rows"].([]any)
}

// eventually polls cond until it holds or a few seconds pass.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// httptestRecorder serves a request that is deliberately outside the spec.
func httptestRecorder(f *fixture, method, path string) *response {
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	return &response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}
