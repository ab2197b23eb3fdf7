package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRun_EveryOpFails(t *testing.T) {
	store := newFakeStore()
	store.failOps = http.StatusServiceUnavailable // setup succeeds, every op fails
	_, url := startFake(t, store, 0)
	cfg := DefaultConfig()
	cfg.URLs, cfg.Rows, cfg.Concurrency = []string{url}, 10, 2
	cfg.Duration, cfg.Warmup, cfg.JSON = 200*time.Millisecond, 0, true
	var out strings.Builder
	m := NewMain(&out, &strings.Builder{})
	m.Config = cfg

	s, err := m.Run(t.Context())
	if !errors.Is(err, ErrNoSuccess) {
		t.Fatalf("err = %v, want ErrNoSuccess", err)
	}
	if s.Ops != 0 || s.Errors == 0 || len(s.ErrorSamples) != 1 {
		t.Fatalf("ops %d errors %d samples %v", s.Ops, s.Errors, s.ErrorSamples)
	}
	if got := s.ErrorSamples[0]; got.Message != "point read: http 503 unavailable: node is draining" || got.Count != s.Errors {
		t.Fatalf("error sample %+v, want the server's message counted %d times", got, s.Errors)
	}
	if !strings.Contains(err.Error(), "node is draining") || !strings.Contains(out.String(), `"errors":`) {
		t.Fatalf("err %v; summary %s", err, out.String())
	}
}

func TestRun_StopsAtDuration(t *testing.T) {
	store := newFakeStore()
	store.delay = 40 * time.Millisecond // every op takes at least 40 ms
	_, url := startFake(t, store, 0)
	start := time.Now()
	s, code, stderr := runBench(t, "-url", url, "-rows", "5", "-concurrency", "3",
		"-duration", "300ms", "-warmup", "100ms", "-json")
	took := time.Since(start)
	if code != 0 || s.Errors != 0 {
		t.Fatalf("exit %d errors %v: %s", code, s.ErrorSamples, stderr)
	}
	// Setup (3 requests), warmup and duration, plus at most one op in flight.
	if took > 3*40*time.Millisecond+400*time.Millisecond+300*time.Millisecond {
		t.Errorf("run took %v", took)
	}
	if s.ElapsedSec < 0.3 || s.ElapsedSec > 0.45 {
		t.Errorf("elapsed %vs, want the 300ms window plus at most one op", s.ElapsedSec)
	}
	// 3 clients × 300 ms / ≥40 ms per op: at most 8 ops each.
	if s.Ops < 3 || s.Ops > 3*8 {
		t.Errorf("%d ops in 300ms with 3 clients at 40ms per op", s.Ops)
	}
	if s.Latency.P50 < 40 || s.Latency.Max > 300 {
		t.Errorf("latency %+v, want about 40 ms", s.Latency)
	}
}

func TestRun_InterruptIsNotAnError(t *testing.T) {
	store := newFakeStore()
	store.delay = 30 * time.Millisecond
	_, url := startFake(t, store, 0)
	cfg := DefaultConfig()
	cfg.URLs, cfg.Rows, cfg.Concurrency, cfg.Warmup, cfg.JSON = []string{url}, 5, 4, 0, true
	m := NewMain(&strings.Builder{}, &strings.Builder{})
	m.Config = cfg
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	s, err := m.Run(ctx)
	if took := time.Since(start); took > time.Second {
		t.Fatalf("interrupted 10s run took %v", took)
	}
	if err != nil || s.Errors != 0 || s.Ops == 0 {
		t.Fatalf("err %v, ops %d, errors %d %v", err, s.Ops, s.Errors, s.ErrorSamples)
	}
	// Setup takes three 30 ms requests of the 200 ms before the interrupt.
	if s.ElapsedSec < 0.05 || s.ElapsedSec > 0.25 {
		t.Fatalf("elapsed %vs, want the time from setup to the interrupt", s.ElapsedSec)
	}
}

func TestRun_RoundRobinOverNodes(t *testing.T) {
	store := newFakeStore()
	a, urlA := startFake(t, store, 0)
	b, urlB := startFake(t, store, 0)
	s, code, _ := runBench(t, benchArgs(urlA+","+urlB)...)
	if code != 0 || s.Errors != 0 || len(s.URLs) != 2 {
		t.Fatalf("exit %d, errors %d, urls %v", code, s.Errors, s.URLs)
	}
	// Setup talks to a only for writes; both serve point reads.
	if na, nb := a.requestCount(), b.requestCount(); nb < 10 || na < 10 {
		t.Fatalf("requests per node: a %d, b %d", na, nb)
	}
}

func TestRun_Lag(t *testing.T) {
	for _, mode := range []string{LagFeed, LagPoll} {
		t.Run(mode, func(t *testing.T) {
			store := newFakeStore()
			_, primary := startFake(t, store, 0)
			_, replica := startFake(t, store, 30*time.Millisecond)
			s, code, stderr := runBench(t, benchArgs(primary, "-workload", "insert", "-lag-url", replica,
				"-lag-mode", mode, "-lag-poll", "2ms", "-duration", "300ms")...)
			if code != 0 || s.Errors != 0 || s.Lag == nil {
				t.Fatalf("exit %d, errors %d, lag %v: %s", code, s.Errors, s.Lag, stderr)
			}
			lag := s.Lag
			if lag.Errors != 0 || lag.Samples == 0 || lag.URL != replica {
				t.Fatalf("lag %+v", lag)
			}
			// Each insert waits for its row, so there is one sample per counted op.
			if int64(lag.Samples) != s.Ops {
				t.Errorf("%d lag samples for %d inserts", lag.Samples, s.Ops)
			}
			if lag.Lag.P50 < 25 || lag.Lag.P50 > 80 || lag.Lag.P99 > 300 {
				t.Errorf("lag %+v, want about 30 ms", lag.Lag)
			}
			if s.Latency.P50 > 25 {
				t.Errorf("insert latency %+v must not include the lag", s.Latency)
			}
		})
	}
}

func TestRun_LagTimeout(t *testing.T) {
	for mode, want := range map[string]string{LagPoll: "not visible on %s after 40ms", LagFeed: "not announced by the change feed within 40ms"} {
		t.Run(mode, func(t *testing.T) {
			store := newFakeStore()
			_, primary := startFake(t, store, 0)
			_, replica := startFake(t, store, time.Hour) // never shows new rows
			s, code, _ := runBench(t, benchArgs(primary, "-workload", "insert", "-lag-url", replica, "-lag-mode", mode,
				"-lag-timeout", "40ms", "-duration", "200ms", "-warmup", "0s")...)
			if code != 0 || s.Lag == nil || s.Lag.Samples != 0 || s.Lag.Errors == 0 || len(s.Lag.ErrorSamples) == 0 {
				t.Fatalf("exit %d, lag %+v", code, s.Lag)
			}
			if strings.Contains(want, "%s") {
				want = fmt.Sprintf(want, replica)
			}
			if msg := s.Lag.ErrorSamples[0].Message; !strings.Contains(msg, want) {
				t.Fatalf("lag error %q, want %q", msg, want)
			}
		})
	}
}

func TestWindow(t *testing.T) {
	t0 := time.Unix(1000, 0)
	w := window{start: t0, end: t0.Add(time.Second)}
	for _, tc := range []struct {
		at   time.Duration
		want bool
	}{{-time.Nanosecond, false}, {0, true}, {999 * time.Millisecond, true}, {time.Second, false}} {
		if got := w.counts(t0.Add(tc.at)); got != tc.want {
			t.Errorf("counts(start%+v) = %v", tc.at, got)
		}
	}
	for _, tc := range []struct {
		name          string
		stopped, last time.Duration
		want          time.Duration
	}{
		{"normal", 1100 * time.Millisecond, 900 * time.Millisecond, time.Second},
		{"tail op", 1100 * time.Millisecond, 1050 * time.Millisecond, 1050 * time.Millisecond},
		{"interrupted", 400 * time.Millisecond, 390 * time.Millisecond, 400 * time.Millisecond},
		{"interrupted in warmup", -time.Second, 0, 0},
	} {
		if got := w.elapsed(t0.Add(tc.stopped), t0.Add(tc.last)); got != tc.want {
			t.Errorf("%s: elapsed = %v, want %v", tc.name, got, tc.want)
		}
	}
}
