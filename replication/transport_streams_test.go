package replication

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/quic-go/quic-go"
)

// keptStreams returns the ids of the idle streams from's link to to keeps.
func keptStreams(t *testing.T, from, to *Transport) []quic.StreamID {
	t.Helper()
	op, err := from.pool.peer(to.Addr())
	if err != nil {
		t.Fatal(err)
	}
	l := op.link.Load()
	if l == nil {
		t.Fatal("no link")
	}
	l.kept.mu.Lock()
	defer l.kept.mu.Unlock()
	var ids []quic.StreamID
	for _, k := range l.kept.idle {
		ids = append(ids, k.s.StreamID())
	}
	return ids
}

// echoOrFail answers its request, or fails with a handler error when the
// request is "fail".
func echoOrFail(_ context.Context, _ string, req []byte) ([]byte, error) {
	if string(req) == "fail" {
		return nil, &codedTestError{code: "busy", msg: "try again"}
	}
	return req, nil
}

func TestTransport_CallsShareAStream(t *testing.T) {
	a, b := newTestTransport(t, "a"), newTestTransport(t, "b")
	b.Handle(testKind, echoOrFail)
	call := func(req string) error {
		t.Helper()
		resp, err := a.Call(testCallCtx(t), b.Addr(), testKind, []byte(req))
		if err == nil && string(resp) != req {
			t.Fatalf("Call(%q) = %q", req, resp)
		}
		return err
	}
	if err := call("one"); err != nil {
		t.Fatal(err)
	}
	first := keptStreams(t, a, b)
	if len(first) != 1 {
		t.Fatalf("after one call the link keeps streams %v; want one", first)
	}
	t.Run("the next calls reuse it", func(t *testing.T) {
		for _, req := range []string{"two", "three"} {
			if err := call(req); err != nil {
				t.Fatal(err)
			}
			if got := keptStreams(t, a, b); len(got) != 1 || got[0] != first[0] {
				t.Fatalf("kept streams %v; want %v again", got, first)
			}
		}
	})
	t.Run("a handler error leaves it usable", func(t *testing.T) {
		var re *RemoteError
		if err := call("fail"); !errors.As(err, &re) || re.Code != "busy" {
			t.Fatalf("err = %v; want the handler's busy error", err)
		}
		if err := call("after"); err != nil {
			t.Fatal(err)
		}
		if got := keptStreams(t, a, b); len(got) != 1 || got[0] != first[0] {
			t.Fatalf("kept streams %v; want %v again", got, first)
		}
	})
}

func TestTransport_AbandonedCallDropsItsStream(t *testing.T) {
	a, b := newTestTransport(t, "a"), newTestTransport(t, "b")
	release := make(chan struct{})
	defer close(release)
	_, canceled := blockingHandler(b, testKind, release)
	b.Handle(testKind+1, echoOrFail)
	if _, err := a.Call(testCallCtx(t), b.Addr(), testKind+1, []byte("x")); err != nil {
		t.Fatal(err)
	}
	before := keptStreams(t, a, b)

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := a.Call(ctx, b.Addr(), testKind, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v; want DeadlineExceeded", err)
	}
	waitChan(t, canceled, "the handler's context to end")
	if got := keptStreams(t, a, b); len(got) != 0 {
		t.Fatalf("kept streams %v after an abandoned call; want none (it used %v)", got, before)
	}
	resp, err := a.Call(testCallCtx(t), b.Addr(), testKind+1, []byte("y"))
	if err != nil || string(resp) != "y" {
		t.Fatalf("call after an abandoned one = %q, %v", resp, err)
	}
	if got := keptStreams(t, a, b); len(got) != 1 || got[0] == before[0] {
		t.Fatalf("kept streams %v; want one new stream, not %v", got, before)
	}
}

func TestTransport_IdleStreamIsNotReused(t *testing.T) {
	a, b := newTestTransport(t, "a"), newTestTransport(t, "b")
	b.Handle(testKind, echoOrFail)
	if _, err := a.Call(testCallCtx(t), b.Addr(), testKind, []byte("x")); err != nil {
		t.Fatal(err)
	}
	old := keptStreams(t, a, b)
	op, _ := a.pool.peer(b.Addr())
	l := op.link.Load()
	l.kept.mu.Lock()
	l.kept.idle[0].since = time.Now().Add(-a.cfg.IdleTimeout / 2) // the peer may be giving up on it
	l.kept.mu.Unlock()

	if _, err := a.Call(testCallCtx(t), b.Addr(), testKind, []byte("y")); err != nil {
		t.Fatal(err)
	}
	if got := keptStreams(t, a, b); len(got) != 1 || got[0] == old[0] {
		t.Fatalf("kept streams %v; want a new one in place of %v", got, old)
	}
}

func TestTransport_PoolKeepsAtMostMaxStreams(t *testing.T) {
	a, b := newTestTransport(t, "a"), newTestTransport(t, "b")
	release := make(chan struct{})
	started, _ := blockingHandler(b, testKind, release)
	n := maxKeptStreams + 4
	done := make(chan error, n)
	for range n {
		go func() {
			_, err := a.Call(testCallCtx(t), b.Addr(), testKind, nil)
			done <- err
		}()
	}
	for range n {
		waitChan(t, started, "the handlers to start")
	}
	close(release)
	for range n {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if got := keptStreams(t, a, b); len(got) != maxKeptStreams {
		t.Fatalf("the link keeps %d streams after %d concurrent calls; want %d", len(got), n, maxKeptStreams)
	}
}

// A peer that offers only ALPN peerALPN (an older version) gets one stream
// per call, and the handler side ends each after its request.
func TestTransport_OneStreamPerCallPeer(t *testing.T) {
	a, b := newTestTransport(t, "a"), newTestTransport(t, "b")
	a.clientTLS.NextProtos = []string{peerALPN}
	b.Handle(testKind, echoOrFail)
	for _, req := range []string{"one", "fail", "two"} {
		resp, err := a.Call(testCallCtx(t), b.Addr(), testKind, []byte(req))
		if req == "fail" {
			if err == nil {
				t.Fatal("want the handler's error")
			}
			continue
		}
		if err != nil || string(resp) != req {
			t.Fatalf("Call(%q) = %q, %v", req, resp, err)
		}
		if got := keptStreams(t, a, b); len(got) != 0 {
			t.Fatalf("kept streams %v with a one-stream-per-call peer", got)
		}
	}
}
