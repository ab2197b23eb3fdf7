package api

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"
)

// pointReadBodies are query bodies reading one row each of a 1000-row table.
func pointReadFixture(b *testing.B) (*fixture, [][]byte) {
	f := newFixture(b, Config{}, nil)
	f.exec("main", "CREATE TABLE kv (id INTEGER PRIMARY KEY, v TEXT, n INTEGER)")
	f.exec("main", "INSERT INTO kv SELECT value, 'value-' || value, value * 1000 FROM generate_series(1, 1000)")
	bodies := make([][]byte, 1000)
	for i := range bodies {
		bodies[i] = []byte(`{"sql":"SELECT v, n FROM kv WHERE id = ?","params":[` + strconv.Itoa(i+1) + `]}`)
	}
	return f, bodies
}

// BenchmarkPointRead measures a point read through the full handler (routing,
// auth, decoding, engine, encoding). The target is 15,000/s on 2 cores:
// at most ~66µs per op with GOMAXPROCS=2.
func BenchmarkPointRead(b *testing.B) {
	f, bodies := pointReadFixture(b)
	var n atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			body := bodies[n.Add(1)%int64(len(bodies))]
			req := httptest.NewRequest("POST", "/v1/db/main/query", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			f.srv.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
		}
	})
}

// BenchmarkValidateQuery measures what kin-openapi request validation would
// add to a point read; compare with BenchmarkPointRead (see validate.go).
func BenchmarkValidateQuery(b *testing.B) {
	f, bodies := pointReadFixture(b)
	route, params, err := f.router.FindRoute(httptest.NewRequest("POST", "/v1/db/main/query", nil))
	if err != nil {
		b.Fatal(err)
	}
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, SkipSettingDefaults: true}
	req := httptest.NewRequest("POST", "/v1/db/main/query", nil)
	req.Header.Set("Content-Type", "application/json")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		setBody(req, bodies[i%len(bodies)])
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeQuery measures the hand-written decoding and checks that
// replace it on the hot path.
func BenchmarkDecodeQuery(b *testing.B) {
	_, bodies := pointReadFixture(b)
	req := httptest.NewRequest("POST", "/v1/db/main/query", nil)
	req.Header.Set("Content-Type", "application/json")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		setBody(req, bodies[i%len(bodies)])
		if _, _, err := decodeQuery(req); err != nil {
			b.Fatal(err)
		}
	}
}

// setBody gives req a fresh body.
func setBody(req *http.Request, body []byte) {
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.ContentLength = int64(len(body))
}

// BenchmarkPointReadLoopback is BenchmarkPointRead over a real loopback HTTP
// server; the client shares the machine, so it overstates the server's cost.
func BenchmarkPointReadLoopback(b *testing.B) {
	f, bodies := pointReadFixture(b)
	ts := httptest.NewServer(f.srv)
	defer ts.Close()
	client := ts.Client()
	client.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
	url := ts.URL + "/v1/db/main/query"
	var n atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			res, err := client.Post(url, "application/json", bytes.NewReader(bodies[n.Add(1)%int64(len(bodies))]))
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, res.Body)
			_ = res.Body.Close()
			if res.StatusCode != http.StatusOK {
				b.Fatalf("status %d", res.StatusCode)
			}
		}
	})
}
