package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
)

// TestMain lets the test binary serve as the baseline child, as the
// program does.
func TestMain(m *testing.M) {
	if os.Getenv(baselineChildEnv) != "" {
		if err := serveBaselineChild(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestBaseline_Run(t *testing.T) {
	for _, mode := range [][]string{{"-baseline"}, {"-baseline", "-baseline-in-process"}} {
		args := append(mode, "-duration", "200ms", "-warmup", "50ms", "-concurrency", "2", "-json", "-url", "http://127.0.0.1:1")
		s, code, stderr := runBench(t, args...)
		if code != 0 || s.Errors != 0 || s.Ops == 0 || !s.Baseline || s.Workload != WorkloadPointRead {
			t.Fatalf("%v: exit %d, summary %+v, stderr %s", mode, code, s, stderr)
		}
		// The run targets its own loopback server, not -url.
		if len(s.URLs) != 1 || !strings.HasPrefix(s.URLs[0], "http://127.0.0.1:") || s.URLs[0] == "http://127.0.0.1:1" {
			t.Fatalf("%v: baseline ran against %v", mode, s.URLs)
		}
		checkLatency(t, s.Latency)
	}
}

// checkBaselineAnswers posts a query to the baseline server at url and
// checks its fixed answer.
func checkBaselineAnswers(t *testing.T, url string) {
	t.Helper()
	resp, err := http.Post(url+"/v1/db/any/query", "application/json", strings.NewReader(`{"sql":"SELECT 1"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != baselineRow {
		t.Fatalf("status %d body %s", resp.StatusCode, body)
	}
}

// TestBaseline_ProcessStops: the child serves, and is gone after Close.
func TestBaseline_ProcessStops(t *testing.T) {
	p, err := startBaselineProcess()
	if err != nil {
		t.Fatal(err)
	}
	checkBaselineAnswers(t, p.url)
	http.DefaultClient.CloseIdleConnections()
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if p.cmd.ProcessState == nil || !p.cmd.ProcessState.Exited() {
		t.Fatalf("child not exited: %v", p.cmd.ProcessState)
	}
}

func TestBaseline_Server(t *testing.T) {
	b, err := startBaseline()
	if err != nil {
		t.Fatal(err)
	}
	checkBaselineAnswers(t, b.url)
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
