package main

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Workload names accepted by -workload.
const (
	WorkloadPointRead = "point-read"
	WorkloadInsert    = "insert"
	WorkloadBatch     = "batch"
	WorkloadMixed     = "mixed"
)

// Config holds every setting of one benchmark run.
type Config struct {
	// URLs are the base URLs of the nodes; client i talks to URLs[i%len].
	URLs []string
	// DB is the database name, created if missing.
	DB string
	// Workload is one of the Workload* names.
	Workload string
	// BatchSize is the number of rows per exec in the batch workload.
	BatchSize int
	// ReadRatio is the share of point reads in the mixed workload.
	ReadRatio float64
	// Concurrency is the number of clients, one goroutine each.
	Concurrency int
	// Duration is the measured period.
	Duration time.Duration
	// Warmup is run before Duration and not counted.
	Warmup time.Duration
	// Rows is the number of rows preloaded (ids 1..Rows) for point reads.
	Rows int
	// ValueSize is the size in bytes of the text payload written by inserts.
	ValueSize int
	// Consistency is sent with every exec; empty omits the field.
	Consistency string
	// Token, if set, is sent as "Authorization: Bearer <token>".
	Token string
	// JSON prints the summary as one JSON object.
	JSON bool
	// LagURL, if set, is a second node on which every insert is polled
	// until visible, to measure write-to-visible lag.
	LagURL string
	// LagMode is how the lag is seen: "feed" (the lag node's SSE change
	// feed announces each row) or "poll" (point reads every LagPoll).
	LagMode string
	// LagPoll is the pause between two lag polls.
	LagPoll time.Duration
	// LagTimeout bounds the wait for one row to become visible.
	LagTimeout time.Duration
	// Timeout bounds one HTTP request.
	Timeout time.Duration
	// Baseline runs point reads against a trivial HTTP server instead of
	// Warren: in a child process (as Warren is), or in this process with
	// BaselineInProcess.
	Baseline          bool
	BaselineInProcess bool
	// HTTPClient is how workers send requests: "direct" (a connection of
	// each worker's own, requests written and answers parsed on its
	// goroutine) or "stdlib" (net/http's Transport).
	HTTPClient string
}

// HTTP clients of the workers.
const (
	ClientDirect = "direct"
	ClientStdlib = "stdlib"
)

// Lag modes.
const (
	LagFeed = "feed"
	LagPoll = "poll"
)

// DefaultConfig returns the settings used when no flag is given.
func DefaultConfig() Config {
	return Config{
		URLs:        []string{"http://127.0.0.1:8080"},
		DB:          "bench",
		Workload:    WorkloadPointRead,
		BatchSize:   100,
		ReadRatio:   0.9,
		Concurrency: 16,
		Duration:    10 * time.Second,
		Warmup:      2 * time.Second,
		Rows:        10000,
		ValueSize:   100,
		LagMode:     LagFeed,
		LagPoll:     time.Millisecond,
		LagTimeout:  10 * time.Second,
		Timeout:     10 * time.Second,
		HTTPClient:  ClientDirect,
	}
}

// Validate reports the first setting that cannot be used.
func (c Config) Validate() error {
	if err := c.validateTargets(); err != nil {
		return err
	}
	if err := c.validateWorkload(); err != nil {
		return err
	}
	return c.validateLimits()
}

func (c Config) validateTargets() error {
	if len(c.URLs) == 0 {
		return errors.New("-url: at least one URL is required")
	}
	for _, u := range c.URLs {
		if err := checkURL(u); err != nil {
			return fmt.Errorf("-url: %w", err)
		}
	}
	if c.LagURL != "" {
		if err := checkURL(c.LagURL); err != nil {
			return fmt.Errorf("-lag-url: %w", err)
		}
	}
	if c.DB == "" || strings.Contains(c.DB, "/") {
		return fmt.Errorf("-db: invalid database name %q", c.DB)
	}
	return nil
}

func (c Config) validateWorkload() error {
	switch c.Workload {
	case WorkloadPointRead, WorkloadInsert, WorkloadBatch, WorkloadMixed:
	default:
		return fmt.Errorf("-workload: unknown workload %q (want point-read, insert, batch or mixed)", c.Workload)
	}
	switch c.Consistency {
	case "", "one", "quorum", "all":
	default:
		return fmt.Errorf("-consistency: unknown level %q (want one, quorum or all)", c.Consistency)
	}
	if c.Baseline && c.Workload != WorkloadPointRead {
		return errors.New("-baseline: only the point-read workload can run against the baseline server")
	}
	if c.BaselineInProcess && !c.Baseline {
		return errors.New("-baseline-in-process: only with -baseline")
	}
	if c.HTTPClient != ClientDirect && c.HTTPClient != ClientStdlib {
		return fmt.Errorf("-http-client: unknown client %q (want direct or stdlib)", c.HTTPClient)
	}
	if c.Baseline && c.LagURL != "" {
		return errors.New("-baseline: cannot be combined with -lag-url")
	}
	return nil
}

func (c Config) validateLimits() error {
	switch {
	case c.Concurrency < 1:
		return errors.New("-concurrency: must be at least 1")
	case c.Duration <= 0:
		return errors.New("-duration: must be positive")
	case c.Warmup < 0:
		return errors.New("-warmup: must not be negative")
	case c.Rows < 1:
		return errors.New("-rows: must be at least 1")
	case c.BatchSize < 1:
		return errors.New("-batch-size: must be at least 1")
	case c.ReadRatio < 0 || c.ReadRatio > 1:
		return errors.New("-read-ratio: must be between 0 and 1")
	case c.ValueSize < 0:
		return errors.New("-value-size: must not be negative")
	case c.Timeout <= 0:
		return errors.New("-timeout: must be positive")
	case c.LagMode != LagFeed && c.LagMode != LagPoll:
		return fmt.Errorf("-lag-mode %q: want %s or %s", c.LagMode, LagFeed, LagPoll)
	case c.LagPoll <= 0 || c.LagTimeout <= 0:
		return errors.New("-lag-poll and -lag-timeout: must be positive")
	}
	return nil
}

// checkURL accepts absolute http(s) URLs with a host.
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("parse url: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL with a host", raw)
	}
	return nil
}

// splitURLs splits a comma-separated list, dropping blanks and trailing
// slashes.
func splitURLs(list string) []string {
	var urls []string
	for part := range strings.SplitSeq(list, ",") {
		if part = strings.TrimRight(strings.TrimSpace(part), "/"); part != "" {
			urls = append(urls, part)
		}
	}
	return urls
}
