package cdc

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// NATSConfig configures a NATSSink. Zero values take the documented
// defaults.
type NATSConfig struct {
	// URL lists the NATS servers, comma-separated. Required.
	URL string
	// Prefix starts every subject: a change of table T in database D goes
	// to Prefix.D.T ("warren").
	Prefix string
	// Stream is the JetStream stream that stores the subjects ("WARREN").
	Stream string
	// CreateStream creates the stream when it is missing (file storage,
	// subjects Prefix.>, DuplicateWindow), or adds Prefix.> to an existing
	// one that lacks it. Without it a missing stream is logged as an error
	// and publishing retries until someone creates it.
	CreateStream bool
	// DuplicateWindow is the created stream's deduplication window (2m).
	DuplicateWindow time.Duration
	// User and Password, Token, CredsFile (a .creds file) authenticate.
	User, Password, Token, CredsFile string
	// TLSCA, TLSCert and TLSKey are PEM files: the CA that signs the
	// servers' certificates, and this client's certificate and key.
	TLSCA, TLSCert, TLSKey string
	// Name is the connection's name on the server ("warren").
	Name string
	// AckTimeout bounds the wait for a publish acknowledgement and for
	// stream lookups (5s).
	AckTimeout time.Duration
	// MaxInFlight bounds the publishes awaiting an acknowledgement over the
	// connection (4096).
	MaxInFlight int
	// MinReconnectWait and MaxReconnectWait bound the waits between
	// reconnection attempts (100ms, 5s); the connection retries forever.
	MinReconnectWait, MaxReconnectWait time.Duration
	// Logger defaults to slog.Default() with component=cdc.
	Logger *slog.Logger
}

// NATSSink publishes change events to NATS JetStream: to subject
// Prefix.db.table, with header Nats-Msg-Id set to the change identity so
// the stream drops a message it already stored within its duplicate window.
type NATSSink struct {
	cfg NATSConfig
	log *slog.Logger
	nc  *nats.Conn
	js  jetstream.JetStream

	streamMu      sync.Mutex
	streamOK      atomic.Bool // the stream was found (or made) since the last failure
	missingLogged bool
	duplicates    atomic.Uint64

	errMu   sync.Mutex
	lastErr string // the last asynchronous error logged
}

var _ Sink = (*NATSSink)(nil)
var _ Connectivity = (*NATSSink)(nil)

// NewNATSSink connects to NATS. A server that is down is not an error: the
// connection keeps trying in the background, forever. Only a bad
// configuration (unreadable TLS or credentials files) fails.
func NewNATSSink(cfg NATSConfig) (*NATSSink, error) {
	cfg.Prefix = orNonEmpty(cfg.Prefix, "warren")
	cfg.Stream = orNonEmpty(cfg.Stream, "WARREN")
	cfg.Name = orNonEmpty(cfg.Name, "warren")
	cfg.DuplicateWindow = orPositive(cfg.DuplicateWindow, 2*time.Minute)
	cfg.AckTimeout = orPositive(cfg.AckTimeout, 5*time.Second)
	cfg.MaxInFlight = orPositive(cfg.MaxInFlight, 4096)
	cfg.MinReconnectWait = orPositive(cfg.MinReconnectWait, 100*time.Millisecond)
	cfg.MaxReconnectWait = max(orPositive(cfg.MaxReconnectWait, 5*time.Second), cfg.MinReconnectWait)
	log := cfg.Logger
	if log == nil {
		log = slog.Default().With("component", "cdc")
	}
	s := &NATSSink{cfg: cfg, log: log.With("sink", "nats", "stream", cfg.Stream)}
	nc, err := nats.Connect(cfg.URL, s.options()...)
	if err != nil {
		return nil, fmt.Errorf("connect nats: %w", err)
	}
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(cfg.MaxInFlight),
		jetstream.WithPublishAsyncTimeout(cfg.AckTimeout), jetstream.WithDefaultTimeout(cfg.AckTimeout))
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("open jetstream: %w", err)
	}
	s.nc, s.js = nc, js
	return s, nil
}

func orNonEmpty(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// Subject is where a change of table in db goes: Prefix.db.table, with the
// characters a subject token cannot hold ('.', '*', '>', white space)
// replaced by '_'.
func (s *NATSSink) Subject(db, table string) string {
	return s.cfg.Prefix + "." + subjectToken(db) + "." + subjectToken(table)
}

func subjectToken(name string) string {
	return strings.Map(func(r rune) rune {
		if r == '.' || r == '*' || r == '>' || r <= ' ' || r == 0x7f {
			return '_'
		}
		return r
	}, name)
}

// Publish sends batch asynchronously, in order, and waits for the acks; it
// returns how many leading messages the stream acknowledged (a duplicate
// it dropped counts as acknowledged).
func (s *NATSSink) Publish(ctx context.Context, batch []Message) (int, error) {
	if err := s.ensureStream(ctx); err != nil {
		return 0, err
	}
	futures := make([]jetstream.PubAckFuture, 0, len(batch))
	var sendErr error
	for i := range batch {
		m := &batch[i]
		msg := &nats.Msg{Subject: s.Subject(m.DB, m.Table), Data: m.Value, Header: nats.Header{}}
		f, err := s.js.PublishMsgAsync(msg, jetstream.WithMsgID(m.ID), jetstream.WithExpectStream(s.cfg.Stream),
			jetstream.WithRetryAttempts(0), jetstream.WithStallWait(s.cfg.AckTimeout))
		if err != nil {
			sendErr = fmt.Errorf("publish change %s: %w", m.ID, err)
			break
		}
		futures = append(futures, f)
	}
	for i, f := range futures {
		select {
		case ack := <-f.Ok():
			if ack.Duplicate {
				s.duplicates.Add(1)
			}
		case err := <-f.Err():
			s.streamOK.Store(false)
			return i, fmt.Errorf("publish change %s: %w", batch[i].ID, err)
		case <-ctx.Done():
			return i, ctx.Err()
		}
	}
	if sendErr != nil {
		s.streamOK.Store(false)
	}
	return len(futures), sendErr
}

// Connected reports whether the connection to NATS is up.
func (s *NATSSink) Connected() bool { return s.nc.IsConnected() }

// Duplicates counts the publishes the stream acknowledged as duplicates of
// messages it already held (retries after a lost acknowledgement, or
// changes published by several nodes).
func (s *NATSSink) Duplicates() uint64 { return s.duplicates.Load() }

// Close closes the connection.
func (s *NATSSink) Close() error {
	s.nc.Close()
	return nil
}

// ErrStreamMissing reports that the stream does not exist and the sink may
// not create it.
var ErrStreamMissing = errors.New("jetstream stream does not exist")

// ensureStream checks, once after each failure, that the stream exists,
// creating or extending it with CreateStream.
func (s *NATSSink) ensureStream(ctx context.Context) error {
	if s.streamOK.Load() {
		return nil
	}
	s.streamMu.Lock()
	defer s.streamMu.Unlock()
	if s.streamOK.Load() {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.AckTimeout)
	defer cancel()
	err := s.checkStream(ctx)
	if errors.Is(err, ErrStreamMissing) && !s.missingLogged {
		s.missingLogged = true
		s.log.Error("jetstream stream missing: create it or turn on stream creation; publishing retries until it exists",
			"subjects", s.wildcard(), "err", err)
	}
	if err != nil {
		return err
	}
	s.missingLogged = false
	s.streamOK.Store(true)
	return nil
}

func (s *NATSSink) wildcard() string { return s.cfg.Prefix + ".>" }

// checkStream finds the stream, or makes it (or adds the subjects to it)
// with CreateStream.
func (s *NATSSink) checkStream(ctx context.Context) error {
	st, err := s.js.Stream(ctx, s.cfg.Stream)
	switch {
	case errors.Is(err, jetstream.ErrStreamNotFound) && !s.cfg.CreateStream:
		return fmt.Errorf("find stream %s: %w (it must capture %s)", s.cfg.Stream, ErrStreamMissing, s.wildcard())
	case errors.Is(err, jetstream.ErrStreamNotFound):
		if _, err := s.js.CreateStream(ctx, s.streamConfig()); err != nil {
			return fmt.Errorf("create stream %s: %w", s.cfg.Stream, err)
		}
		s.log.Info("created jetstream stream", "subjects", s.wildcard(), "duplicate_window", s.cfg.DuplicateWindow)
		return nil
	case err != nil:
		return fmt.Errorf("find stream %s: %w", s.cfg.Stream, err)
	}
	cfg := st.CachedInfo().Config
	if !s.cfg.CreateStream || slices.Contains(cfg.Subjects, s.wildcard()) || slices.Contains(cfg.Subjects, ">") {
		return nil
	}
	cfg.Subjects = append(cfg.Subjects, s.wildcard())
	if _, err := s.js.UpdateStream(ctx, cfg); err != nil {
		return fmt.Errorf("add subjects %s to stream %s: %w", s.wildcard(), s.cfg.Stream, err)
	}
	s.log.Info("added subjects to jetstream stream", "subjects", s.wildcard())
	return nil
}

// streamConfig is the stream CreateStream makes.
func (s *NATSSink) streamConfig() jetstream.StreamConfig {
	return jetstream.StreamConfig{
		Name:        s.cfg.Stream,
		Description: "Warren change events",
		Subjects:    []string{s.wildcard()},
		Storage:     jetstream.FileStorage,
		Duplicates:  s.cfg.DuplicateWindow,
	}
}
