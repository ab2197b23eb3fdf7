package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"
)

// Summary is the result of one benchmark run, as printed by -json.
type Summary struct {
	Workload     string        `json:"workload"`
	URLs         []string      `json:"urls"`
	DB           string        `json:"db"`
	Baseline     bool          `json:"baseline"`
	Consistency  string        `json:"consistency,omitempty"`
	Concurrency  int           `json:"concurrency"`
	BatchSize    int           `json:"batch_size,omitempty"`
	ReadRatio    float64       `json:"read_ratio,omitempty"`
	WarmupSec    float64       `json:"warmup_s"`
	ElapsedSec   float64       `json:"elapsed_s"`
	Ops          int64         `json:"ops"`
	OpsPerSec    float64       `json:"ops_per_sec"`
	RowsWritten  int64         `json:"rows_written"`
	RowsPerSec   float64       `json:"rows_per_sec"`
	Errors       int64         `json:"errors"`
	ErrorSamples []ErrorSample `json:"error_samples,omitempty"`
	Latency      Percentiles   `json:"latency_ms"`
	Lag          *LagSummary   `json:"lag,omitempty"`
}

// Percentiles are latency figures in milliseconds (microsecond precision).
type Percentiles struct {
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
}

// LagSummary is the write-to-visible lag measured on the -lag-url node.
type LagSummary struct {
	URL          string        `json:"url"`
	Samples      uint64        `json:"samples"`
	Errors       int64         `json:"errors"`
	ErrorSamples []ErrorSample `json:"error_samples,omitempty"`
	Lag          Percentiles   `json:"lag_ms"`
}

// buildSummary turns merged run results into a Summary. Ops counts
// successful operations; errors are counted apart.
func buildSummary(cfg Config, res runResult) Summary {
	st := res.stats
	s := Summary{
		Workload: cfg.Workload, URLs: cfg.URLs, DB: cfg.DB, Baseline: cfg.Baseline,
		Consistency: cfg.Consistency, Concurrency: cfg.Concurrency,
		WarmupSec: cfg.Warmup.Seconds(), ElapsedSec: round3(res.elapsed.Seconds()),
		Ops: st.ok, RowsWritten: st.written, Errors: st.errors,
		ErrorSamples: st.errs.samples, Latency: percentiles(st.latency),
	}
	switch cfg.Workload {
	case WorkloadBatch:
		s.BatchSize = cfg.BatchSize
	case WorkloadMixed:
		s.ReadRatio = cfg.ReadRatio
	}
	if secs := res.elapsed.Seconds(); secs > 0 {
		s.OpsPerSec = round3(float64(st.ok) / secs)
		s.RowsPerSec = round3(float64(st.written) / secs)
	}
	if cfg.LagURL != "" {
		s.Lag = &LagSummary{URL: cfg.LagURL, Samples: st.lag.Count(), Errors: st.lagErrors,
			ErrorSamples: st.lagErrs.samples, Lag: percentiles(st.lag)}
	}
	return s
}

func percentiles(h *Histogram) Percentiles {
	return Percentiles{P50: ms(h.Percentile(50)), P90: ms(h.Percentile(90)),
		P99: ms(h.Percentile(99)), Max: ms(h.Max()), Mean: ms(h.Mean())}
}

// ms converts d to milliseconds rounded to the microsecond.
func ms(d time.Duration) float64 { return round3(float64(d) / float64(time.Millisecond)) }

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// writeJSON prints s as one JSON object on one line.
func writeJSON(w io.Writer, s Summary) error {
	if err := json.NewEncoder(w).Encode(s); err != nil {
		return fmt.Errorf("write summary: %w", err)
	}
	return nil
}

// writeText prints s for humans.
func writeText(w io.Writer, s Summary) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "workload\t%s\n", describeWorkload(s))
	fmt.Fprintf(tw, "target\t%s  db=%s  concurrency=%d\n", strings.Join(s.URLs, ","), s.DB, s.Concurrency)
	fmt.Fprintf(tw, "measured\t%.2fs (after %gs warmup)\n", s.ElapsedSec, s.WarmupSec)
	fmt.Fprintf(tw, "ops\t%d ok  (%.1f ops/s)\n", s.Ops, s.OpsPerSec)
	if s.RowsWritten > 0 {
		fmt.Fprintf(tw, "rows written\t%d  (%.1f rows/s)\n", s.RowsWritten, s.RowsPerSec)
	}
	fmt.Fprintf(tw, "errors\t%d\n", s.Errors)
	fmt.Fprintf(tw, "latency\t%s\n", formatPercentiles(s.Latency))
	if s.Lag != nil {
		fmt.Fprintf(tw, "lag\t%s  (%d samples, %d errors, on %s)\n",
			formatPercentiles(s.Lag.Lag), s.Lag.Samples, s.Lag.Errors, s.Lag.URL)
	}
	writeSamples(tw, "first errors", s.ErrorSamples)
	if s.Lag != nil {
		writeSamples(tw, "first lag errors", s.Lag.ErrorSamples)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write summary: %w", err)
	}
	return nil
}

func describeWorkload(s Summary) string {
	d := s.Workload
	switch {
	case s.Baseline:
		d += " (baseline: trivial in-process HTTP server)"
	case s.BatchSize > 0:
		d += fmt.Sprintf(" (batch-size=%d)", s.BatchSize)
	case s.Workload == WorkloadMixed:
		d += fmt.Sprintf(" (read-ratio=%g)", s.ReadRatio)
	}
	if s.Consistency != "" {
		d += "  consistency=" + s.Consistency
	}
	return d
}

func formatPercentiles(p Percentiles) string {
	return fmt.Sprintf("p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  max %.3f ms  (mean %.3f ms)",
		p.P50, p.P90, p.P99, p.Max, p.Mean)
}

func writeSamples(w io.Writer, title string, samples []ErrorSample) {
	if len(samples) == 0 {
		return
	}
	fmt.Fprintf(w, "%s:\n", title)
	for _, e := range samples {
		fmt.Fprintf(w, "  %d×  %s\n", e.Count, e.Message)
	}
}
