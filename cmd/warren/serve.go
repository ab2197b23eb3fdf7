package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/warren-db/warren"
	"github.com/warren-db/warren/api"
)

// HTTP server limits. There is deliberately no ReadTimeout or WriteTimeout:
// both would cut long-lived streams (SSE changes, backups), and in net/http
// an expired ReadTimeout even cancels the context of a running handler.
// ReadHeaderTimeout and IdleTimeout bound idle and slow clients instead.
const (
	readHeaderTimeout = 10 * time.Second
	idleTimeout       = 2 * time.Minute
	maxHeaderBytes    = 64 << 10
)

// errShuttingDown is what /readyz reports while the node stops.
var errShuttingDown = errors.New("shutting down")

// apiConfig maps the settings to the HTTP API's configuration.
func (m *Main) apiConfig() api.Config {
	return api.Config{
		Tokens:        apiTokens(m.Config.Tokens),
		CORSOrigins:   m.Config.CORSOrigins,
		MaxBodyBytes:  int64(m.Config.MaxBodyBytes),
		MaxStatements: m.Config.MaxStatements,
		Spec:          warren.OpenAPISpec,
		Ready:         m.ready,
		Cluster:       m.cluster(),
		Logger:        m.component("api"),
		Changes:       m.changesAPI(),
		LiveQueries:   m.liveAPI(),
		Metrics:       m.metrics(),
	}
}

// cluster returns the API's view of the cluster, nil for a lone node.
func (m *Main) cluster() api.Cluster {
	if m.node == nil {
		return nil
	}
	return clusterView{m.node}
}

// apiTokens converts the configured tokens; Validate has checked the rights.
func apiTokens(tokens []TokenConfig) []api.Token {
	out := make([]api.Token, 0, len(tokens))
	for _, t := range tokens {
		rights := make(map[string]api.Right, len(t.Rights))
		for db, name := range t.Rights {
			var r api.Right
			_ = r.UnmarshalText([]byte(name))
			rights[db] = r
		}
		out = append(out, api.Token{Name: t.Name, Token: t.Token.Reveal(), Rights: rights})
	}
	return out
}

// ready fails once shutdown has begun, so load balancers stop sending traffic.
func (m *Main) ready() error {
	if m.closing.Load() {
		return errShuttingDown
	}
	return nil
}

// serve runs the HTTP server on ln in the background; a failure is sent to
// m.failed.
func (m *Main) serve(ln net.Listener, h http.Handler) {
	m.server = &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(m.component("http").Handler(), slog.LevelWarn),
	}
	if a, ok := h.(*api.Server); ok {
		m.server.RegisterOnShutdown(a.CloseStreams) // streams would hold Shutdown until its timeout
	}
	go func() {
		if err := m.server.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			m.failed <- err
		}
	}()
}

// shutdownHTTP stops the HTTP server, waiting up to shutdown_timeout for open
// requests before closing what is left.
func (m *Main) shutdownHTTP() error {
	ctx, cancel := context.WithTimeout(context.Background(), m.Config.ShutdownTimeout)
	defer cancel()
	if err := m.server.Shutdown(ctx); err == nil {
		return nil
	}
	m.Logger.Warn("open requests outlived shutdown_timeout; closing them",
		"shutdown_timeout", m.Config.ShutdownTimeout)
	if err := m.server.Close(); err != nil {
		return errors.Join(errors.New("close http server"), err)
	}
	return nil
}
