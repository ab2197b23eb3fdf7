package replication

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
)

// codedTestError is a handler error with a code.
type codedTestError struct{ code, msg string }

func (e *codedTestError) Error() string     { return e.msg }
func (e *codedTestError) ErrorCode() string { return e.code }

func TestTransport_Call(t *testing.T) {
	a := newTestTransport(t, "node-a")
	b := newTestTransport(t, "node-b")
	b.Handle(testKind, func(_ context.Context, from string, req []byte) ([]byte, error) {
		return append([]byte(from+":"), req...), nil
	})

	t.Run("request response with verified caller", func(t *testing.T) {
		resp, err := a.Call(testCallCtx(t), b.Addr(), testKind, []byte("hello"))
		if err != nil || string(resp) != "node-a:hello" {
			t.Fatalf("Call = %q, %v; want node-a:hello", resp, err)
		}
	})
	t.Run("ping echoes by default", func(t *testing.T) {
		resp, err := a.Call(testCallCtx(t), b.Addr(), KindPing, []byte("p"))
		if err != nil || string(resp) != "p" {
			t.Fatalf("ping = %q, %v", resp, err)
		}
	})
	t.Run("empty request and response", func(t *testing.T) {
		b.Handle(testKind+1, func(context.Context, string, []byte) ([]byte, error) { return nil, nil })
		resp, err := a.Call(testCallCtx(t), b.Addr(), testKind+1, nil)
		if err != nil || len(resp) != 0 {
			t.Fatalf("Call = %q, %v; want empty", resp, err)
		}
	})
	t.Run("unknown kind", func(t *testing.T) {
		_, err := a.Call(testCallCtx(t), b.Addr(), 200, nil)
		var re *RemoteError
		if !errors.As(err, &re) || re.Code != CodeUnknownKind {
			t.Fatalf("err = %v; want RemoteError %s", err, CodeUnknownKind)
		}
	})
}

func TestTransport_CallHandlerError(t *testing.T) {
	a := newTestTransport(t, "node-a")
	b := newTestTransport(t, "node-b")
	b.Handle(testKind, func(context.Context, string, []byte) ([]byte, error) {
		return []byte("ignored"), fmt.Errorf("apply change set: %w", &codedTestError{code: "busy", msg: "database is locked"})
	})
	b.Handle(testKind+1, func(context.Context, string, []byte) ([]byte, error) { panic("boom") })

	t.Run("message and code reach the caller", func(t *testing.T) {
		resp, err := a.Call(testCallCtx(t), b.Addr(), testKind, nil)
		var re *RemoteError
		if !errors.As(err, &re) || resp != nil {
			t.Fatalf("Call = %q, %v; want a RemoteError", resp, err)
		}
		if re.Code != "busy" || re.Message != "apply change set: database is locked" {
			t.Fatalf("RemoteError = %+v", re)
		}
	})
	t.Run("panic becomes an internal error", func(t *testing.T) {
		_, err := a.Call(testCallCtx(t), b.Addr(), testKind+1, nil)
		var re *RemoteError
		if !errors.As(err, &re) || re.Message != errHandlerPanic.Error() {
			t.Fatalf("err = %v; want the panic error", err)
		}
		if _, err := a.Call(testCallCtx(t), b.Addr(), KindPing, nil); err != nil {
			t.Fatalf("ping after panic: %v", err)
		}
	})
}

func TestTransport_CallBigPayload(t *testing.T) {
	a := newTestTransport(t, "node-a")
	b := newTestTransport(t, "node-b")
	b.Handle(testKind, func(_ context.Context, _ string, req []byte) ([]byte, error) {
		resp := slices.Clone(req)
		slices.Reverse(resp)
		return resp, nil
	})
	req := make([]byte, 8<<20)
	_, _ = rand.Read(req)
	resp, err := a.Call(testBulkCtx(t), b.Addr(), testKind, req)
	if err != nil {
		t.Fatalf("Call: %v", err)
	}
	slices.Reverse(resp)
	if !bytes.Equal(resp, req) {
		t.Fatalf("8 MiB response differs (len %d)", len(resp))
	}

	t.Run("request over the max frame fails locally", func(t *testing.T) {
		small := newTestTransport(t, "node-c", func(c *TransportConfig) { c.MaxFrame = 1 << 20 })
		_, err := small.Call(testCallCtx(t), b.Addr(), testKind, req)
		if !errors.Is(err, ErrFrameTooLarge) {
			t.Fatalf("err = %v; want ErrFrameTooLarge", err)
		}
	})
	t.Run("response over the caller's max frame", func(t *testing.T) {
		small := newTestTransport(t, "node-d", func(c *TransportConfig) { c.MaxFrame = 1 << 20 })
		b.Handle(testKind+1, func(context.Context, string, []byte) ([]byte, error) { return req, nil })
		_, err := small.Call(testBulkCtx(t), b.Addr(), testKind+1, nil)
		if !errors.Is(err, ErrFrameTooLarge) {
			t.Fatalf("err = %v; want ErrFrameTooLarge", err)
		}
	})
}

func TestTransport_CallConcurrent(t *testing.T) {
	a := newTestTransport(t, "node-a")
	b := newTestTransport(t, "node-b")
	b.Handle(testKind, func(_ context.Context, _ string, req []byte) ([]byte, error) {
		return append(req, '!'), nil
	})
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := range 100 {
		wg.Go(func() {
			want := fmt.Sprintf("call-%d", i)
			resp, err := a.Call(testCallCtx(t), b.Addr(), testKind, []byte(want))
			if err != nil || string(resp) != want+"!" {
				errs <- fmt.Errorf("call %d = %q, %v", i, resp, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := inboundCount(b); n != 1 {
		t.Fatalf("b accepted %d connections; want 1 shared by every call", n)
	}
}

func TestTransport_ThreeNodes(t *testing.T) {
	nodes := []*Transport{newTestTransport(t, "a"), newTestTransport(t, "b"), newTestTransport(t, "c")}
	for _, n := range nodes {
		n.Handle(testKind, func(_ context.Context, from string, _ []byte) ([]byte, error) {
			return []byte(from + "->" + n.NodeID()), nil
		})
	}
	for _, from := range nodes {
		for _, to := range nodes {
			resp, err := from.Call(testCallCtx(t), to.Addr(), testKind, nil)
			want := from.NodeID() + "->" + to.NodeID()
			if err != nil || string(resp) != want {
				t.Errorf("%s calls %s = %q, %v; want %q", from.NodeID(), to.NodeID(), resp, err, want)
			}
		}
	}
}
