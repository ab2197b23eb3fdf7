package main

import (
	"math/rand/v2"
	"net/http"
	"testing"
	"time"
)

// checkLatency asserts the latency figures of a successful run are ordered
// and positive.
func checkLatency(t *testing.T, p Percentiles) {
	t.Helper()
	if !(p.P50 > 0 && p.P50 <= p.P90 && p.P90 <= p.P99 && p.P99 <= p.Max && p.Mean > 0 && p.Mean <= p.Max) {
		t.Errorf("latency figures out of order: %+v", p)
	}
}

func TestWorkloads_AgainstFake(t *testing.T) {
	for _, tc := range []struct {
		workload  string
		extra     []string
		wantReads bool
		perOp     int64 // rows written per op
	}{
		{WorkloadPointRead, nil, true, 0},
		{WorkloadInsert, nil, false, 1},
		{WorkloadBatch, []string{"-batch-size", "10"}, false, 10},
		{WorkloadMixed, []string{"-read-ratio", "0.5"}, true, -1},
	} {
		t.Run(tc.workload, func(t *testing.T) {
			store := newFakeStore()
			store.token = "tok"
			_, url := startFake(t, store, 0)
			args := benchArgs(url, append([]string{"-workload", tc.workload, "-token", "tok",
				"-consistency", "quorum", "-value-size", "33"}, tc.extra...)...)
			s, code, stderr := runBench(t, args...)
			if code != 0 || s.Errors != 0 || s.Ops == 0 {
				t.Fatalf("exit %d, %d ops, %d errors %v; stderr %s", code, s.Ops, s.Errors, s.ErrorSamples, stderr)
			}
			checkLatency(t, s.Latency)
			if s.OpsPerSec <= 0 || s.ElapsedSec < 0.25 || s.ElapsedSec > 1 {
				t.Errorf("ops/s %v over %vs", s.OpsPerSec, s.ElapsedSec)
			}
			rows, reads, writes, levels := store.snapshot()
			switch {
			case tc.perOp >= 0 && s.RowsWritten != tc.perOp*s.Ops:
				t.Errorf("rows written %d for %d ops, want %d per op", s.RowsWritten, s.Ops, tc.perOp)
			case tc.perOp < 0 && (s.RowsWritten == 0 || s.RowsWritten >= s.Ops):
				t.Errorf("mixed: %d rows written for %d ops, want some but not all", s.RowsWritten, s.Ops)
			}
			// The fake also saw the warmup ops, so it counts at least as many.
			if int64(writes) < s.RowsWritten || int64(rows) != 40+int64(writes) {
				t.Errorf("fake holds %d rows after %d inserts; summary says %d written", rows, writes, s.RowsWritten)
			}
			if tc.wantReads != (reads > 0) {
				t.Errorf("fake saw %d reads", reads)
			}
			if levels["<omitted>"] != 0 {
				t.Errorf("an exec omitted the consistency: %v", levels)
			}
		})
	}
}

func TestWorkloads_ConsistencyOmittedByDefault(t *testing.T) {
	store := newFakeStore()
	_, url := startFake(t, store, 0)
	s, code, _ := runBench(t, benchArgs(url, "-workload", "insert")...)
	if code != 0 || s.Ops == 0 {
		t.Fatalf("exit %d, %d ops", code, s.Ops)
	}
	if _, _, _, levels := store.snapshot(); len(levels) != 1 || levels["<omitted>"] == 0 {
		t.Fatalf("consistency levels seen %v, want the field always omitted", levels)
	}
}

func TestWorker_MixedReadRatio(t *testing.T) {
	w := &worker{rng: rand.New(rand.NewPCG(1, 1)), readRatio: 0.9}
	reads := 0
	for range 100000 {
		if w.readsNext() {
			reads++
		}
	}
	if reads < 89500 || reads > 90500 {
		t.Fatalf("%d reads in 100000 draws at ratio 0.9", reads)
	}
}

func TestWorker_PointReadMissingRowIsAnError(t *testing.T) {
	store := newFakeStore()
	store.dbs["bench"] = true // no rows at all
	_, url := startFake(t, store, 0)
	cfg := DefaultConfig()
	cfg.Rows = 5
	w := newWorker(cfg, newAPIClient(newHTTPClient(1, 1, time.Second), url, "bench", ""), 0, 1)
	_, err := w.do(t.Context())
	if err == nil {
		t.Fatal("point read of a missing row succeeded")
	}
	store.setFail(http.StatusTeapot)
	if _, err := w.do(t.Context()); err == nil || err.Error() != "point read: http 418 unavailable: node is draining" {
		t.Fatalf("err = %v", err)
	}
}
