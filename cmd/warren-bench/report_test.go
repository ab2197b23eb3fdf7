package main

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func testRunResult() runResult {
	st := newStats()
	for i := 1; i <= 100; i++ {
		st.success(time.Duration(i)*time.Millisecond, outcome{written: 2}, time.Time{})
	}
	for range 3 {
		st.failure(errors.New("http 500 internal: boom"), time.Time{})
	}
	st.failure(errors.New("send request: connection refused"), time.Time{})
	st.lagResult(5*time.Millisecond, nil)
	st.lagResult(0, errors.New("measure lag: row 9 not visible"))
	return runResult{stats: st, elapsed: 2 * time.Second}
}

func TestBuildSummary(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Workload, cfg.BatchSize, cfg.LagURL = WorkloadBatch, 2, "http://127.0.0.1:9"
	s := buildSummary(cfg, testRunResult())
	if s.Ops != 100 || s.OpsPerSec != 50 || s.RowsWritten != 200 || s.RowsPerSec != 100 || s.Errors != 4 {
		t.Fatalf("counts: %+v", s)
	}
	want := Percentiles{P50: 50, P90: 90, P99: 99, Max: 100, Mean: 50.5}
	for _, f := range []struct {
		name      string
		got, want float64
	}{{"p50", s.Latency.P50, want.P50}, {"p90", s.Latency.P90, want.P90}, {"p99", s.Latency.P99, want.P99},
		{"max", s.Latency.Max, want.Max}, {"mean", s.Latency.Mean, want.Mean}} {
		if f.got < f.want || f.got > f.want*(1+1.0/subBuckets) {
			t.Errorf("%s = %v ms, want %v ms (+<1/128)", f.name, f.got, f.want)
		}
	}
	if len(s.ErrorSamples) != 2 || s.ErrorSamples[0] != (ErrorSample{"http 500 internal: boom", 3}) {
		t.Errorf("error samples %+v", s.ErrorSamples)
	}
	if s.Lag == nil || s.Lag.Samples != 1 || s.Lag.Errors != 1 || s.Lag.Lag.P50 != 5 || s.BatchSize != 2 {
		t.Errorf("lag %+v, batch size %d", s.Lag, s.BatchSize)
	}
}

func TestWriteJSON_OneObject(t *testing.T) {
	cfg := DefaultConfig()
	var out strings.Builder
	if err := writeJSON(&out, buildSummary(cfg, testRunResult())); err != nil {
		t.Fatal(err)
	}
	if strings.Count(out.String(), "\n") != 1 {
		t.Fatalf("want one line, got %q", out.String())
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out.String()), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"ops", "ops_per_sec", "errors", "error_samples", "latency_ms", "workload", "urls"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON summary lacks %q: %s", k, out.String())
		}
	}
	if _, ok := m["lag"]; ok {
		t.Errorf("lag reported without -lag-url")
	}
}

func TestWriteText(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Workload, cfg.LagURL, cfg.Consistency = WorkloadMixed, "http://127.0.0.1:9", "quorum"
	var out strings.Builder
	if err := writeText(&out, buildSummary(cfg, testRunResult())); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"workload      mixed (read-ratio=0.9)  consistency=quorum",
		"ops           100 ok  (50.0 ops/s)",
		"rows written  200  (100.0 rows/s)",
		"errors        4",
		"latency       p50 50.",
		"lag           p50 5.000 ms",
		"(1 samples, 1 errors, on http://127.0.0.1:9)",
		"first errors:\n  3×  http 500 internal: boom\n  1×  send request: connection refused",
		"first lag errors:\n  1×  measure lag: row 9 not visible",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("text summary lacks %q:\n%s", want, out.String())
		}
	}
}

func TestErrorLog_KeepsFirstDistinct(t *testing.T) {
	var l errorLog
	for i := range 10 {
		l.add(strings.Repeat("x", i), 1)
		l.add(strings.Repeat("x", i), 1)
	}
	l.add(strings.Repeat("y", 1000), 1)
	if len(l.samples) != maxErrorSamples || l.samples[4] != (ErrorSample{"xxxx", 2}) {
		t.Fatalf("samples %+v", l.samples)
	}
	var long errorLog
	long.add(strings.Repeat("y", 1000), 1)
	if n := len(long.samples[0].Message); n > maxErrorLen+4 {
		t.Fatalf("message of %d bytes kept", n)
	}
}
