package api

import (
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/warren-db/warren/engine"
)

// fixedMetrics writes a fixed text, or fails.
type fixedMetrics struct {
	text string
	err  error
}

func (m fixedMetrics) WriteMetrics(w io.Writer) error {
	if m.err != nil {
		return m.err
	}
	_, err := io.WriteString(w, m.text)
	return err
}

func TestMetrics(t *testing.T) {
	const text = "# TYPE warren_log_head_position gauge\nwarren_log_head_position{db=\"main\"} 7\n"
	f := newFixture(t, Config{Metrics: fixedMetrics{text: text},
		Tokens: []Token{{Name: "reader", Token: "r", Rights: map[string]Right{"main": RightRead}}}}, nil)
	f.do("GET", "/metrics", nil).expectError(t, http.StatusUnauthorized, engine.CodeUnauthorized)
	res := f.as("r").do("GET", "/metrics", nil)
	res.expect(t, http.StatusOK)
	if string(res.Body) != text {
		t.Fatalf("body %q, want %q", res.Body, text)
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/plain; version=0.0.4; charset=utf-8" {
		t.Fatalf("Content-Type %q", ct)
	}
}

func TestMetrics_NoneOrFailing(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	res := f.do("GET", "/metrics", nil)
	if res.expect(t, http.StatusOK); len(res.Body) != 0 {
		t.Fatalf("body %q without Metrics, want empty", res.Body)
	}
	f = newFixture(t, Config{Metrics: fixedMetrics{err: errors.New("boom")}}, nil)
	f.do("GET", "/metrics", nil).expectError(t, http.StatusInternalServerError, engine.CodeInternal)
}
