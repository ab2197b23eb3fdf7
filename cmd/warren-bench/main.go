package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/warren-db/warren/cmd/internal/timerslack"
)

// ErrNoSuccess is returned by Main.Run when not a single measured operation
// succeeded.
var ErrNoSuccess = errors.New("no operation succeeded")

func main() {
	if os.Getenv(baselineChildEnv) != "" {
		if err := serveBaselineChild(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "warren-bench baseline:", err)
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is main without the process: it returns the exit status (0 ok,
// 1 failed run, 2 bad flags).
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	m := NewMain(stdout, stderr)
	if err := m.ParseFlags(args, stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "warren-bench:", err)
		return 2
	}
	if _, err := m.Run(ctx); err != nil {
		fmt.Fprintln(stderr, "warren-bench:", err)
		return 1
	}
	return 0
}

// Main is the warren-bench program: parse flags, then Run.
type Main struct {
	// Config is the run's configuration, set by ParseFlags.
	Config Config
	// Stdout receives the summary.
	Stdout io.Writer
	// Logger receives progress messages.
	Logger *slog.Logger
}

// NewMain returns a Main that prints the summary to stdout and logs to
// stderr.
func NewMain(stdout, stderr io.Writer) *Main {
	return &Main{
		Config: DefaultConfig(),
		Stdout: stdout,
		Logger: slog.New(slog.NewTextHandler(stderr, nil)).With("component", "warren-bench"),
	}
}

// ParseFlags sets m.Config from command-line arguments; usage goes to out.
// It also rejects a WARREN_TIMER_SLACK_US the process could not apply.
func (m *Main) ParseFlags(args []string, out io.Writer) error {
	cfg, err := ParseFlags(args, out)
	if err != nil {
		return err
	}
	if err := timerslack.Check(os.Getenv(timerslack.Env)); err != nil {
		return err
	}
	m.Config = cfg
	return nil
}

// Run prepares the target, runs the workload, prints the summary and
// returns it. It fails with ErrNoSuccess when no measured op succeeded.
func (m *Main) Run(ctx context.Context) (Summary, error) {
	cfg := m.Config
	hc := newHTTPClient(cfg.Concurrency, len(cfg.URLs)+1, cfg.Timeout)
	defer hc.CloseIdleConnections()
	if cfg.Baseline {
		url, stop, err := launchBaseline(cfg)
		if err != nil {
			return Summary{}, err
		}
		defer closeBaseline(stop, m.Logger)
		cfg.URLs = []string{url}
	} else if err := setup(ctx, hc, cfg, m.Logger); err != nil {
		return Summary{}, fmt.Errorf("set up: %w", err)
	}
	m.Logger.Info("running", "workload", cfg.Workload, "concurrency", cfg.Concurrency,
		"warmup", cfg.Warmup, "duration", cfg.Duration, "urls", cfg.URLs, "timer_slack", timerslack.Current())
	clients := buildClients(cfg, hc, uint64(time.Now().UnixNano()))
	defer closeClients(clients)
	if cfg.LagURL != "" && cfg.LagMode == LagFeed {
		feedCtx, stopFeed := context.WithCancel(ctx)
		defer stopFeed()
		feed, err := startLagFeed(feedCtx, cfg.LagURL, cfg.DB, cfg.Token, cfg.LagTimeout)
		if err != nil {
			return Summary{}, err
		}
		for _, c := range clients {
			c.lag = feed
		}
	}
	res := runClients(ctx, clients, cfg.Warmup, cfg.Duration, hardStop(cfg))
	summary := buildSummary(cfg, res)
	if err := m.write(summary); err != nil {
		return summary, err
	}
	return summary, checkSummary(summary)
}

func (m *Main) write(s Summary) error {
	if m.Config.JSON {
		return writeJSON(m.Stdout, s)
	}
	return writeText(m.Stdout, s)
}

// checkSummary fails a run in which no measured op succeeded.
func checkSummary(s Summary) error {
	if s.Ops > 0 {
		return nil
	}
	if len(s.ErrorSamples) > 0 {
		return fmt.Errorf("%w (%d errors, first: %s)", ErrNoSuccess, s.Errors, s.ErrorSamples[0].Message)
	}
	return ErrNoSuccess
}

// hardStop bounds how long the run may last after the measured window:
// long enough for the operation (and lag poll) in flight to finish.
func hardStop(cfg Config) time.Duration {
	if cfg.LagURL != "" {
		return cfg.Timeout + cfg.LagTimeout
	}
	return cfg.Timeout
}

// buildClients creates cfg.Concurrency clients spread round-robin over
// cfg.URLs.
func buildClients(cfg Config, hc *http.Client, seed uint64) []*client {
	clients := make([]*client, cfg.Concurrency)
	for i := range clients {
		base := cfg.URLs[i%len(cfg.URLs)]
		api := newAPIClient(workerDoer(cfg, hc, base), base, cfg.DB, cfg.Token)
		clients[i] = &client{worker: newWorker(cfg, api, i, seed), stats: newStats()}
		if cfg.LagURL != "" && cfg.LagMode == LagPoll {
			clients[i].lag = &lagProbe{api: newAPIClient(workerDoer(cfg, hc, cfg.LagURL), cfg.LagURL, cfg.DB, cfg.Token),
				poll: cfg.LagPoll, timeout: cfg.LagTimeout}
		}
	}
	return clients
}

// closeClients closes the workers' own connections.
func closeClients(clients []*client) {
	for _, c := range clients {
		if cc, ok := c.worker.api.http.(*connClient); ok {
			cc.Close()
		}
		if p, ok := c.lag.(*lagProbe); ok {
			if cc, ok := p.api.http.(*connClient); ok {
				cc.Close()
			}
		}
	}
}

// workerDoer returns how one worker reaches base: a connection of its own
// (-http-client direct, for http:// URLs) or the shared net/http client.
func workerDoer(cfg Config, hc *http.Client, base string) requestDoer {
	u, err := url.Parse(base)
	if cfg.HTTPClient != ClientDirect || err != nil || u.Scheme != "http" {
		return hc
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "80")
	}
	return newConnClient(host, cfg.Timeout)
}

func closeBaseline(stop func(context.Context) error, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := stop(ctx); err != nil {
		log.Warn("stop baseline server", "err", err)
	}
}
