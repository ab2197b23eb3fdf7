package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestBaseline_Run(t *testing.T) {
	s, code, stderr := runBench(t, "-baseline", "-duration", "200ms", "-warmup", "50ms",
		"-concurrency", "2", "-json", "-url", "http://127.0.0.1:1")
	if code != 0 || s.Errors != 0 || s.Ops == 0 || !s.Baseline || s.Workload != WorkloadPointRead {
		t.Fatalf("exit %d, summary %+v, stderr %s", code, s, stderr)
	}
	// The run targets its own loopback server, not -url.
	if len(s.URLs) != 1 || !strings.HasPrefix(s.URLs[0], "http://127.0.0.1:") || s.URLs[0] == "http://127.0.0.1:1" {
		t.Fatalf("baseline ran against %v", s.URLs)
	}
	checkLatency(t, s.Latency)
}

func TestBaseline_Server(t *testing.T) {
	b, err := startBaseline()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(b.url+"/v1/db/any/query", "application/json", strings.NewReader(`{"sql":"SELECT 1"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != baselineRow {
		t.Fatalf("status %d body %s", resp.StatusCode, body)
	}
	if resp, err := http.Get(b.url + "/v1/db/any/query"); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("GET query: %v %v", resp, err)
	}
	if err := b.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Post(b.url+"/v1/db/any/query", "application/json", nil); err == nil {
		t.Fatal("baseline server still answers after Close")
	}
}
