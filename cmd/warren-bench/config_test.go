package main

import (
	"errors"
	"flag"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseFlags_Defaults(t *testing.T) {
	cfg, err := ParseFlags(nil, &strings.Builder{})
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		URLs: []string{"http://127.0.0.1:8080"}, DB: "bench", Workload: WorkloadPointRead,
		BatchSize: 100, ReadRatio: 0.9, Concurrency: 16, Duration: 10 * time.Second,
		Warmup: 2 * time.Second, Rows: 10000, ValueSize: 100, LagMode: LagFeed, LagPoll: time.Millisecond,
		LagTimeout: 10 * time.Second, Timeout: 10 * time.Second, HTTPClient: ClientDirect,
	}
	if !reflect.DeepEqual(cfg, want) {
		t.Fatalf("defaults:\n got %+v\nwant %+v", cfg, want)
	}
}

func TestParseFlags_AllFlags(t *testing.T) {
	cfg, err := ParseFlags([]string{
		"-url", " http://a:1/, http://b:2 ,", "-db", "x", "-workload", "mixed", "-batch-size", "7",
		"-read-ratio", "0.5", "-concurrency", "3", "-duration", "1s", "-warmup", "0s", "-rows", "9",
		"-value-size", "0", "-consistency", "all", "-token", "t0k", "-json", "-lag-url", "http://c:3/",
		"-lag-mode", "poll", "-lag-poll", "2ms", "-lag-timeout", "1s", "-timeout", "3s",
		"-http-client", "stdlib",
	}, &strings.Builder{})
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		URLs: []string{"http://a:1", "http://b:2"}, DB: "x", Workload: WorkloadMixed, BatchSize: 7,
		ReadRatio: 0.5, Concurrency: 3, Duration: time.Second, Rows: 9, Consistency: "all",
		Token: "t0k", JSON: true, LagURL: "http://c:3", LagMode: LagPoll, LagPoll: 2 * time.Millisecond,
		LagTimeout: time.Second, Timeout: 3 * time.Second, HTTPClient: ClientStdlib,
	}
	if !reflect.DeepEqual(cfg, want) {
		t.Fatalf("flags:\n got %+v\nwant %+v", cfg, want)
	}
}

func TestParseFlags_Invalid(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-workload", "scan"}, "-workload"},
		{[]string{"-consistency", "local"}, "-consistency"},
		{[]string{"-url", ""}, "-url"},
		{[]string{"-url", "127.0.0.1:8080"}, "-url"},
		{[]string{"-lag-url", "ftp://x"}, "-lag-url"},
		{[]string{"-db", ""}, "-db"},
		{[]string{"-concurrency", "0"}, "-concurrency"},
		{[]string{"-duration", "0s"}, "-duration"},
		{[]string{"-warmup", "-1s"}, "-warmup"},
		{[]string{"-rows", "0"}, "-rows"},
		{[]string{"-batch-size", "0"}, "-batch-size"},
		{[]string{"-read-ratio", "1.5"}, "-read-ratio"},
		{[]string{"-value-size", "-1"}, "-value-size"},
		{[]string{"-timeout", "0s"}, "-timeout"},
		{[]string{"-baseline", "-workload", "insert"}, "-baseline"},
		{[]string{"-baseline-in-process"}, "-baseline-in-process"},
		{[]string{"-baseline", "-lag-url", "http://x:1"}, "-baseline"},
		{[]string{"-http-client", "fast"}, "-http-client"},
		{[]string{"stray"}, "unexpected argument"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, err := ParseFlags(tc.args, &strings.Builder{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want mention of %q", err, tc.want)
			}
		})
	}
}

func TestParseFlags_HelpDocumentsEveryFlag(t *testing.T) {
	var out strings.Builder
	_, err := ParseFlags([]string{"-h"}, &out)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err = %v, want flag.ErrHelp", err)
	}
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	cfg := DefaultConfig()
	bindFlags(fs, &cfg)
	fs.VisitAll(func(f *flag.Flag) {
		if !strings.Contains(out.String(), "-"+f.Name) || f.Usage == "" {
			t.Errorf("flag -%s not documented in -h", f.Name)
		}
	})
	for _, w := range []string{WorkloadPointRead, WorkloadInsert, WorkloadBatch, WorkloadMixed} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("workload %s not described in -h", w)
		}
	}
}

func TestRun_ExitCodes(t *testing.T) {
	var out, errOut strings.Builder
	if code := run(t.Context(), []string{"-h"}, &out, &errOut); code != 0 {
		t.Errorf("-h exit %d, want 0", code)
	}
	if code := run(t.Context(), []string{"-rows", "0"}, &out, &errOut); code != 2 {
		t.Errorf("bad flag exit %d, want 2", code)
	}
	// Nothing listens on port 1: setup fails, exit 1.
	code := run(t.Context(), []string{"-url", "http://127.0.0.1:1", "-duration", "100ms", "-warmup", "0s"}, &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "create database") {
		t.Errorf("unreachable server: exit %d, stderr %q", code, errOut.String())
	}
}

// A timer slack the process could not apply stops the run as a bad flag
// does: exit status 2 and a message naming the variable.
func TestRun_BadTimerSlackIsRejected(t *testing.T) {
	t.Setenv("WARREN_TIMER_SLACK_US", "1ms")
	var stderr strings.Builder
	if code := run(t.Context(), []string{"-duration", "1s"}, &strings.Builder{}, &stderr); code != 2 {
		t.Fatalf("exit status %d, want 2; stderr:\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "WARREN_TIMER_SLACK_US") {
		t.Fatalf("stderr %q does not name WARREN_TIMER_SLACK_US", stderr.String())
	}
}
