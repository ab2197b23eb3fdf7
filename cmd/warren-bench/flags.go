package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

const usageHeader = `warren-bench drives Warren's HTTP API and prints throughput and latency.

Usage:
  warren-bench [flags]

Workloads:
  point-read  SELECT one row by a random preloaded id (1..-rows)
  insert      INSERT one row (id omitted, -value-size bytes of text) per exec
  batch       one exec of -batch-size INSERT statements in a transaction
  mixed       point reads with probability -read-ratio, inserts otherwise

Setup creates the database (POST /v1/databases; 409 = exists is fine), the
table bench_kv(id INTEGER PRIMARY KEY, k TEXT, v TEXT) and preloads ids
1..-rows, then waits until they are visible on every -url. Only ops started
after -warmup and before -warmup+-duration are counted; latency percentiles
cover successful ops, non-2xx answers count as errors. With -lag-url each
writer waits until its row is visible there before its next op, so write
throughput is lower than without it; the lag is reported apart and is not
part of the write latency. The exit status is 1 when no op succeeded, 2 on
bad flags.

Environment:
  WARREN_TIMER_SLACK_US  how late, in microseconds, the kernel may fire this
                         process's timers: 1000 when unset (0 keeps the
                         slack it was started with). Read before Go starts.
                         Go's sysmon thread wakes at most once per slack, so
                         the load tool takes less of the CPU it shares with
                         the nodes; -lag-poll pauses may run up to 1ms late.

Examples:
  warren-bench -workload point-read -concurrency 32 -duration 30s
  warren-bench -url http://127.0.0.1:8080,http://127.0.0.1:8081 -workload mixed
  warren-bench -workload insert -consistency one -lag-url http://127.0.0.1:8081
  warren-bench -baseline -duration 3s

Flags:
`

// ParseFlags parses command-line arguments into a Config, starting from
// DefaultConfig, and validates it. Usage text goes to out.
func ParseFlags(args []string, out io.Writer) (Config, error) {
	cfg := DefaultConfig()
	fs := flag.NewFlagSet("warren-bench", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprint(out, usageHeader)
		fs.PrintDefaults()
	}
	urls := bindFlags(fs, &cfg)
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("parse flags: unexpected argument %q", fs.Arg(0))
	}
	cfg.URLs = splitURLs(*urls)
	cfg.LagURL = strings.TrimRight(strings.TrimSpace(cfg.LagURL), "/")
	if err := cfg.Validate(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// bindFlags registers every flag on fs, writing into cfg; it returns the raw
// -url list, split after parsing.
func bindFlags(fs *flag.FlagSet, cfg *Config) *string {
	urls := fs.String("url", strings.Join(cfg.URLs, ","), "base `URL` of a Warren node; a comma-separated list spreads clients round-robin over several nodes")
	fs.StringVar(&cfg.DB, "db", cfg.DB, "database `name`, created if missing")
	fs.StringVar(&cfg.Workload, "workload", cfg.Workload, "`workload`: point-read, insert, batch or mixed")
	fs.IntVar(&cfg.BatchSize, "batch-size", cfg.BatchSize, "rows per exec in the batch workload")
	fs.Float64Var(&cfg.ReadRatio, "read-ratio", cfg.ReadRatio, "share of point reads in the mixed workload (0..1)")
	fs.IntVar(&cfg.Concurrency, "concurrency", cfg.Concurrency, "number of concurrent clients (one goroutine and keep-alive connection each)")
	fs.DurationVar(&cfg.Duration, "duration", cfg.Duration, "measured period")
	fs.DurationVar(&cfg.Warmup, "warmup", cfg.Warmup, "warmup period before the measured one, not counted")
	fs.IntVar(&cfg.Rows, "rows", cfg.Rows, "rows preloaded (ids 1..rows) for point reads")
	fs.IntVar(&cfg.ValueSize, "value-size", cfg.ValueSize, "size in `bytes` of the text value written by inserts")
	fs.StringVar(&cfg.Consistency, "consistency", cfg.Consistency, "write `level` sent with every exec: one, quorum or all (default: field omitted, server default)")
	fs.StringVar(&cfg.Token, "token", cfg.Token, "bearer `token` sent as \"Authorization: Bearer <token>\"")
	fs.BoolVar(&cfg.JSON, "json", cfg.JSON, "print the summary as one JSON object instead of text")
	fs.StringVar(&cfg.LagURL, "lag-url", cfg.LagURL, "optional second node `URL`: after each insert, wait until the row is visible there and report the lag")
	fs.StringVar(&cfg.LagMode, "lag-mode", cfg.LagMode, "how -lag-url sees a row: feed (its SSE change feed announces it) or poll (point reads every -lag-poll)")
	fs.DurationVar(&cfg.LagPoll, "lag-poll", cfg.LagPoll, "pause between two polls of -lag-url")
	fs.DurationVar(&cfg.LagTimeout, "lag-timeout", cfg.LagTimeout, "give up waiting for one row on -lag-url after this long (counted as a lag error)")
	fs.DurationVar(&cfg.Timeout, "timeout", cfg.Timeout, "timeout of one HTTP request")
	fs.BoolVar(&cfg.Baseline, "baseline", cfg.Baseline, "run point reads against a trivial HTTP server on 127.0.0.1 in a child process (the floor for Warren's HTTP point reads) instead of -url")
	fs.BoolVar(&cfg.BaselineInProcess, "baseline-in-process", cfg.BaselineInProcess, "with -baseline, run the trivial server inside this process (no cross-process cost: a stricter floor)")
	fs.StringVar(&cfg.HTTPClient, "http-client", cfg.HTTPClient, "how clients send requests: direct (one connection each, written and read on the client's goroutine, as wrk does; http:// only) or stdlib (net/http's Transport, two goroutines of its own per connection)")
	return urls
}
