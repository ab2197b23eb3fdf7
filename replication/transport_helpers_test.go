package replication

import (
	"context"
	"log/slog"
	"testing"
	"time"
)

// transportTestSecret is the cluster secret of test transports.
const transportTestSecret = "correct horse battery staple"

// newTestTransport starts a transport on 127.0.0.1:0, closed at test end.
func newTestTransport(tb testing.TB, nodeID string, opts ...func(*TransportConfig)) *Transport {
	tb.Helper()
	cfg := LocalTransportConfig()
	cfg.NodeID = nodeID
	cfg.Secret = transportTestSecret
	cfg.Logger = slog.New(slog.DiscardHandler)
	for _, opt := range opts {
		opt(&cfg)
	}
	tr, err := NewTransport(cfg)
	if err != nil {
		tb.Fatalf("new transport %s: %v", nodeID, err)
	}
	tb.Cleanup(func() { _ = tr.Close() })
	return tr
}

// withSecret sets the cluster secret of a test transport.
func withSecret(secret string) func(*TransportConfig) {
	return func(c *TransportConfig) { c.Secret = secret }
}

// withListenAddr sets the listen address of a test transport.
func withListenAddr(addr string) func(*TransportConfig) {
	return func(c *TransportConfig) { c.ListenAddr = addr }
}

// testCallCtx returns a context bounding one test call.
func testCallCtx(tb testing.TB) context.Context {
	return testCtx(tb, 5*time.Second)
}

// testBulkCtx bounds a test call moving megabytes, which is slow under the
// race detector on a busy machine.
func testBulkCtx(tb testing.TB) context.Context {
	return testCtx(tb, 30*time.Second)
}

func testCtx(tb testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	tb.Cleanup(cancel)
	return ctx
}

// transportEventually polls fn until it returns nil or timeout passes.
func transportEventually(tb testing.TB, timeout time.Duration, fn func() error) {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := fn()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("condition not met after %v: %v", timeout, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// inboundCount returns the number of connections tr has accepted and not lost.
func inboundCount(tr *Transport) int {
	tr.inbound.mu.Lock()
	defer tr.inbound.mu.Unlock()
	return len(tr.inbound.conns)
}

// testKind is a product-range kind for test handlers.
const testKind Kind = 16
