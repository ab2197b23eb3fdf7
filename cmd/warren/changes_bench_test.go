package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// startBenchNode runs the real program in-process with its logs discarded.
func startBenchNode(b *testing.B) *Main {
	b.Helper()
	m := NewMain()
	m.LogOutput = io.Discard
	if err := m.ParseFlags(append(nodeArgs(b), "--shutdown-timeout", "1s")); err != nil {
		b.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = m.Close() })
	return m
}

func benchPost(b *testing.B, m *Main, sql string) {
	body := `{"statements":[{"sql":` + strconv.Quote(sql) + `}],"consistency":"one"}`
	resp, err := http.Post("http://"+m.HTTPAddr()+"/v1/db/main/exec", "application/json", strings.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("exec %s: status %d", sql, resp.StatusCode)
	}
}

// openChanges opens the SSE change feed from position from ("" = head).
func openChanges(b *testing.B, m *Main, from string) (*bufio.Scanner, func()) {
	url := "http://" + m.HTTPAddr() + "/v1/db/main/changes"
	if from != "" {
		url += "?from=" + from
	}
	resp, err := http.Get(url)
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("open changes: %v %v", resp, err)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	return sc, func() { resp.Body.Close() }
}

// nextChange reads up to the data line of the next change event.
func nextChange(b *testing.B, sc *bufio.Scanner) string {
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, "data: ") {
			return line
		}
	}
	b.Fatalf("change feed ended: %v", sc.Err())
	return ""
}

// BenchmarkChangesSSE_Throughput measures the events per second an SSE
// client receives from GET /v1/db/{db}/changes while catching up on b.N
// changes (100 rows per transaction), through the whole HTTP stack.
func BenchmarkChangesSSE_Throughput(b *testing.B) {
	m := startBenchNode(b)
	benchPost(b, m, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score REAL)")
	for i := 0; i < b.N; i += 100 {
		var values []string
		for j := i; j < min(i+100, b.N); j++ {
			values = append(values, fmt.Sprintf("(%d, 'name-%d', %d.5)", j, j, j))
		}
		benchPost(b, m, "INSERT INTO t VALUES "+strings.Join(values, ", "))
	}
	b.ResetTimer()
	sc, stop := openChanges(b, m, "0")
	defer stop()
	for range b.N {
		nextChange(b, sc)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkChangesSSE_Latency measures, for single-row writes over HTTP,
// the time from sending the write until an SSE client of the same node
// receives its event; it reports p50 and p99.
func BenchmarkChangesSSE_Latency(b *testing.B) {
	m := startBenchNode(b)
	benchPost(b, m, "CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)")
	sc, stop := openChanges(b, m, "")
	defer stop()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		done := make(chan struct{})
		go func() { benchPost(b, m, fmt.Sprintf("INSERT INTO t VALUES (%d, %d)", i, i)); close(done) }()
		nextChange(b, sc)
		lat = append(lat, time.Since(start))
		<-done
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
