package replication

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"testing"
	"time"
)

func TestTransport_CallStream(t *testing.T) {
	a := newTestTransport(t, "node-a")
	b := newTestTransport(t, "node-b")
	body := make([]byte, 3<<20+123)
	_, _ = rand.Read(body)
	b.HandleStream(testKind, func(_ context.Context, _ string, _ []byte, w io.Writer) error {
		for rest := body; len(rest) > 0; { // uneven writes
			n := min(len(rest), 1000+len(rest)%70000)
			if _, err := w.Write(rest[:n]); err != nil {
				return err
			}
			rest = rest[n:]
		}
		return nil
	})

	t.Run("whole body arrives", func(t *testing.T) {
		rc, err := a.CallStream(testBulkCtx(t), b.Addr(), testKind, nil)
		if err != nil {
			t.Fatalf("CallStream: %v", err)
		}
		defer rc.Close()
		got, err := io.ReadAll(rc)
		if err != nil || !bytes.Equal(got, body) {
			t.Fatalf("ReadAll = %d bytes, %v; want %d bytes equal", len(got), err, len(body))
		}
	})
	t.Run("error after part of the body", func(t *testing.T) {
		b.HandleStream(testKind+1, func(_ context.Context, _ string, _ []byte, w io.Writer) error {
			_, _ = w.Write(body[:200<<10])
			return errors.New("snapshot source vanished")
		})
		rc, err := a.CallStream(testCallCtx(t), b.Addr(), testKind+1, nil)
		if err != nil {
			t.Fatalf("CallStream: %v", err)
		}
		defer rc.Close()
		got, err := io.ReadAll(rc)
		var re *RemoteError
		if !errors.As(err, &re) || re.Message != "snapshot source vanished" {
			t.Fatalf("ReadAll err = %v; want the handler error", err)
		}
		if !bytes.Equal(got, body[:200<<10]) {
			t.Fatalf("got %d bytes before the error; want the 200 KiB written", len(got))
		}
	})
	t.Run("unary handler reads as a one-chunk body", func(t *testing.T) {
		rc, err := a.CallStream(testCallCtx(t), b.Addr(), KindPing, []byte("echo"))
		if err != nil {
			t.Fatalf("CallStream: %v", err)
		}
		defer rc.Close()
		if got, err := io.ReadAll(rc); err != nil || string(got) != "echo" {
			t.Fatalf("ReadAll = %q, %v", got, err)
		}
	})
	t.Run("Call on a streaming kind", func(t *testing.T) {
		_, err := a.Call(testCallCtx(t), b.Addr(), testKind, nil)
		if !errors.Is(err, ErrStreamedResponse) {
			t.Fatalf("err = %v; want ErrStreamedResponse", err)
		}
	})
}

func TestTransport_CallStreamClose(t *testing.T) {
	a := newTestTransport(t, "node-a")
	b := newTestTransport(t, "node-b")
	handlerDone := make(chan error, 1)
	b.HandleStream(testKind, func(ctx context.Context, _ string, _ []byte, w io.Writer) error {
		chunk := make([]byte, 64<<10)
		for {
			if _, err := w.Write(chunk); err != nil {
				handlerDone <- err
				return err
			}
			if ctx.Err() != nil {
				handlerDone <- ctx.Err()
				return ctx.Err()
			}
		}
	})
	rc, err := a.CallStream(testCallCtx(t), b.Addr(), testKind, nil)
	if err != nil {
		t.Fatalf("CallStream: %v", err)
	}
	if _, err := io.ReadFull(rc, make([]byte, 1<<20)); err != nil {
		t.Fatalf("read first MiB: %v", err)
	}
	_ = rc.Close()
	select {
	case err := <-handlerDone:
		if err == nil {
			t.Fatal("handler ended without error")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("handler still writing 5 s after the caller closed the body")
	}
}

func TestTransport_CallStreamContext(t *testing.T) {
	a := newTestTransport(t, "node-a")
	b := newTestTransport(t, "node-b")
	release := make(chan struct{})
	defer close(release)
	b.HandleStream(testKind, func(ctx context.Context, _ string, _ []byte, w io.Writer) error {
		_, _ = w.Write([]byte("partial"))
		if f, ok := w.(interface{ Flush() error }); ok {
			_ = f.Flush()
		}
		select {
		case <-ctx.Done():
		case <-release:
		}
		return nil
	})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	rc, err := a.CallStream(ctx, b.Addr(), testKind, nil)
	if err != nil {
		t.Fatalf("CallStream: %v", err)
	}
	defer rc.Close()
	got, err := io.ReadAll(rc)
	if !errors.Is(err, context.DeadlineExceeded) || string(got) != "partial" {
		t.Fatalf("ReadAll = %q, %v; want partial then DeadlineExceeded", got, err)
	}
}
