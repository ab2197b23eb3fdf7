package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// baselineRow is the fixed answer of the baseline server: one small row,
// shaped like Warren's query answer.
const baselineRow = `{"columns":["k","v"],"types":["TEXT","TEXT"],"rows":[["key-1","value-1"]]}`

// baselineServer is a trivial HTTP server on a loopback port whose query
// endpoint answers baselineRow without touching any database. Point reads
// against it measure the floor: the cost of the HTTP round trip, JSON
// encoding and the client itself on this machine.
type baselineServer struct {
	srv  *http.Server
	url  string
	done chan error
}

// startBaseline listens on 127.0.0.1 (a free port) and serves in the
// background until Close.
func startBaseline() (*baselineServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen baseline: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/db/{db}/query", serveBaselineQuery)
	b := &baselineServer{
		srv:  &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second},
		url:  "http://" + ln.Addr().String(),
		done: make(chan error, 1),
	}
	go func() { b.done <- b.srv.Serve(ln) }()
	return b, nil
}

// serveBaselineQuery reads the request and answers the fixed row.
func serveBaselineQuery(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, baselineRow)
}

// Close stops the server, waiting for open requests until ctx is done.
func (b *baselineServer) Close(ctx context.Context) error {
	if err := b.srv.Shutdown(ctx); err != nil {
		return fmt.Errorf("stop baseline: %w", err)
	}
	if err := <-b.done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve baseline: %w", err)
	}
	return nil
}
