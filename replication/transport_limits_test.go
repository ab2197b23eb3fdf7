package replication

import (
	"context"
	"errors"
	"testing"
	"time"
)

// blockingHandler registers a handler that blocks until its context ends or
// release closes; it reports each context end on canceled.
func blockingHandler(tr *Transport, kind Kind, release <-chan struct{}) (started, canceled chan struct{}) {
	started, canceled = make(chan struct{}, 16), make(chan struct{}, 16)
	tr.Handle(kind, func(ctx context.Context, _ string, _ []byte) ([]byte, error) {
		started <- struct{}{}
		select {
		case <-ctx.Done():
			canceled <- struct{}{}
			return nil, ctx.Err()
		case <-release:
			return []byte("done"), nil
		}
	})
	return started, canceled
}

// waitChan fails the test if ch stays silent for 5 s.
func waitChan(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
}

func TestTransport_SlowHandler(t *testing.T) {
	a, b := newTestTransport(t, "a"), newTestTransport(t, "b")
	release := make(chan struct{})
	defer close(release)
	started, canceled := blockingHandler(b, testKind, release)

	t.Run("caller's deadline ends the call and the handler", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := a.Call(ctx, b.Addr(), testKind, nil)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v; want DeadlineExceeded", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("call returned after %v; want about 200ms", d)
		}
		waitChan(t, canceled, "the handler's context to be canceled")
	})
	t.Run("a slow handler does not block other calls", func(t *testing.T) {
		go func() { _, _ = a.Call(context.Background(), b.Addr(), testKind, nil) }()
		waitChan(t, started, "the slow handler to start")
		if err := linkWorks(t, a, b); err != nil { // the slow one never ends by itself
			t.Fatalf("ping beside a slow handler: %v", err)
		}
	})
}

func TestTransport_MaxStreams(t *testing.T) {
	a := newTestTransport(t, "a")
	b := newTestTransport(t, "b", func(c *TransportConfig) { c.MaxStreams = 2 })
	release := make(chan struct{})
	started, _ := blockingHandler(b, testKind, release)
	done := make(chan error, 2)
	for range 2 {
		go func() {
			_, err := a.Call(context.Background(), b.Addr(), testKind, nil)
			done <- err
		}()
	}
	waitChan(t, started, "first handler")
	waitChan(t, started, "second handler")

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if _, err := a.Call(ctx, b.Addr(), KindPing, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("third concurrent call = %v; want it held back until the deadline", err)
	}
	close(release)
	for range 2 {
		if err := <-done; err != nil {
			t.Fatalf("blocked call: %v", err)
		}
	}
	if err := linkWorks(t, a, b); err != nil {
		t.Fatalf("call once streams are free: %v", err)
	}
}

func TestTransport_Close(t *testing.T) {
	a, b := newTestTransport(t, "a"), newTestTransport(t, "b")
	started, canceled := blockingHandler(b, testKind, nil)
	callErr := make(chan error, 1)
	go func() {
		_, err := a.Call(context.Background(), b.Addr(), testKind, nil)
		callErr <- err
	}()
	waitChan(t, started, "the handler to start") // Close must end a handler that is running
	if err := b.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	waitChan(t, canceled, "the handler's context to end on Close")
	select {
	case err := <-callErr:
		if err == nil {
			t.Fatal("in-flight call succeeded across Close")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("in-flight call still waiting 5 s after the peer closed")
	}
	if err := b.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	_ = a.Close()
	if _, err := a.Call(testCallCtx(t), b.Addr(), KindPing, nil); !errors.Is(err, ErrTransportClosed) {
		t.Fatalf("call on a closed transport = %v; want ErrTransportClosed", err)
	}
}
