package replication

import (
	"context"
	"testing"
	"time"
)

func TestTransport_Reconnect(t *testing.T) {
	for name, graceful := range map[string]bool{"after a clean restart": true, "after a crash": false} {
		t.Run(name, func(t *testing.T) {
			// A long idle timeout: recovery must not wait for it.
			slowIdle := func(c *TransportConfig) { c.IdleTimeout = time.Minute }
			a := newTestTransport(t, "node-a", slowIdle)
			b := newTestTransport(t, "node-b", slowIdle)
			addr := b.Addr()
			if _, err := a.Call(testCallCtx(t), addr, KindPing, nil); err != nil {
				t.Fatalf("first call: %v", err)
			}
			if graceful {
				_ = b.Close()
			} else {
				b.closeOnce.Do(func() { _ = b.shutdown(false) })
			}

			b2 := newTestTransport(t, "node-b", slowIdle, withListenAddr(addr))
			b2.Handle(testKind, func(context.Context, string, []byte) ([]byte, error) { return []byte("b2"), nil })
			start, attempts := time.Now(), 0
			transportEventually(t, 5*time.Second, func() error {
				attempts++
				_, err := a.Call(testCallCtx(t), addr, testKind, nil)
				return err
			})
			if attempts > 2 {
				t.Errorf("took %d calls (%v) to reach the restarted peer; want at most 2", attempts, time.Since(start))
			}
		})
	}
}

func TestTransport_Disconnect(t *testing.T) {
	a := newTestTransport(t, "node-a")
	b := newTestTransport(t, "node-b")
	if _, err := a.Call(testCallCtx(t), b.Addr(), KindPing, nil); err != nil {
		t.Fatal(err)
	}
	a.Disconnect(b.Addr())
	transportEventually(t, 2*time.Second, func() error {
		if n := inboundCount(b); n != 0 {
			return errorf("b still holds %d connections", n)
		}
		return nil
	})
	if _, err := a.Call(testCallCtx(t), b.Addr(), KindPing, nil); err != nil {
		t.Fatalf("call after disconnect: %v", err)
	}
}
