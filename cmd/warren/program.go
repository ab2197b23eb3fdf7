package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"

	"github.com/warren-db/warren/api"
	"github.com/warren-db/warren/cdc"
	"github.com/warren-db/warren/engine"
	"github.com/warren-db/warren/mysqlwire"
	"github.com/warren-db/warren/replication"
)

// Main is the warren program. Tests start the real program in-process:
// NewMain, then ParseFlags (or set Config), Run, and Close.
type Main struct {
	// Config is the node's configuration; ParseFlags fills it in.
	Config Config
	// ConfigPath is the TOML file ParseFlags read, "" if none.
	ConfigPath string
	// Env is the environment ParseFlags reads, as KEY=VALUE entries
	// (os.Environ()); nil reads nothing.
	Env []string
	// LogOutput receives the logs. Default os.Stderr.
	LogOutput io.Writer
	// Logger is the process logger. Run builds it from Config unless set;
	// the built one hides secrets even if a component logs one, a Logger
	// set here is used as it is.
	Logger *slog.Logger

	warnings []string // found by ParseFlags, logged by Run

	listener   net.Listener
	engine     *engine.Engine
	transport  *replication.Transport
	membership *replication.Membership
	node       *replication.Node
	feed       *cdc.Feed
	publish    *publication   // NATS JetStream publication, nil when off
	kafka      *cdc.Publisher // Kafka publication, nil when off
	mysql      *mysqlwire.Server
	api        *api.Server
	server     *http.Server
	failed     chan error

	closing   atomic.Bool
	closeOnce sync.Once
	closeErr  error
}

// NewMain returns a program with the default configuration.
func NewMain() *Main {
	return &Main{Config: DefaultConfig(), LogOutput: os.Stderr, failed: make(chan error, 1)}
}

// ParseFlags reads the configuration: defaults, then the config file
// (--config or WARREN_CONFIG), then WARREN_* variables of m.Env, then the
// flags in args; then it validates the result. Configuration problems are
// reported all at once in a *ConfigError; -h or --help returns flag.ErrHelp.
func (m *Main) ParseFlags(args []string) error {
	env := envMap(m.Env)
	// A first pass over the flags finds --config and stops at unknown flags
	// before anything is read.
	path, scratch := env[envConfig], DefaultConfig()
	if _, err := parseArgs(&scratch, &path, args); err != nil {
		return err
	}
	var problems []string
	cfg := DefaultConfig()
	if path != "" {
		problems = append(problems, problemsOf(loadFile(&cfg, path, lookupIn(env)))...)
	}
	warnings, err := applyEnv(&cfg, env)
	problems = append(problems, problemsOf(err)...)
	flagProblems, err := parseArgs(&cfg, &path, args)
	if err != nil {
		return err
	}
	problems = append(problems, flagProblems...)
	problems = append(problems, problemsOf(cfg.Validate())...)
	if len(problems) > 0 {
		return &ConfigError{Problems: problems}
	}
	m.Config, m.ConfigPath, m.warnings = cfg, path, warnings
	return nil
}

// lookupIn returns an os.LookupEnv over env.
func lookupIn(env map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := env[k]; return v, ok }
}

// Run starts the node: it opens the engine and serves the HTTP API in the
// background, then returns. On error the caller still calls Close.
func (m *Main) Run(ctx context.Context) error {
	if m.Logger == nil {
		m.Logger = newLogger(m.LogOutput, m.Config.LogFormat, m.Config.LogLevel, m.Config.secrets())
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	m.logStart()
	ln, err := net.Listen("tcp", m.Config.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen http: %w", err)
	}
	m.listener = ln
	if m.engine, err = engine.Open(m.Config.EngineConfig(m.Logger)); err != nil {
		return fmt.Errorf("open engine: %w", err)
	}
	if m.Config.clustered() {
		if err := m.startCluster(ctx); err != nil {
			return err
		}
	}
	m.feed = m.newFeed()
	if err := m.startPublisher(); err != nil {
		return err
	}
	if m.api, err = api.New(m.engine, m.apiConfig()); err != nil {
		return fmt.Errorf("create http api: %w", err)
	}
	m.serve(ln, m.api)
	if err := m.startMySQL(); err != nil {
		return err
	}
	if m.Config.PprofAddr != "" {
		if err := m.servePprof(); err != nil {
			return err
		}
	}
	m.logListening()
	return nil
}

// HTTPAddr returns the address the HTTP API listens on (the real port when
// http_addr asked for port 0), "" before Run.
func (m *Main) HTTPAddr() string {
	if m.listener == nil {
		return ""
	}
	return m.listener.Addr().String()
}

// Engine returns the node's engine, nil before Run.
func (m *Main) Engine() *engine.Engine { return m.engine }

// Failed reports an HTTP server that stopped on its own.
func (m *Main) Failed() <-chan error { return m.failed }

// Close stops the node gracefully: the HTTP server stops accepting and waits
// up to shutdown_timeout for open requests, then the API and the engine
// close. It is safe to call more than once and after a failed Run.
func (m *Main) Close() error {
	m.closeOnce.Do(func() { m.closeErr = m.close() })
	return m.closeErr
}

func (m *Main) close() error {
	m.closing.Store(true)
	var errs []error
	switch {
	case m.server != nil:
		errs = append(errs, m.shutdownHTTP())
	case m.listener != nil:
		_ = m.listener.Close()
	}
	if m.api != nil {
		if err := m.api.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close http api: %w", err))
		}
	}
	if m.mysql != nil {
		if err := m.mysql.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close mysql server: %w", err))
		}
	}
	if err := m.stopPublisher(); err != nil {
		errs = append(errs, err)
	}
	m.stopCluster()
	if m.engine != nil {
		if err := m.engine.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close engine: %w", err))
		}
	}
	return errors.Join(errs...)
}

// component returns the logger of one component.
func (m *Main) component(name string) *slog.Logger {
	return m.Logger.With(keyComponent, name)
}
