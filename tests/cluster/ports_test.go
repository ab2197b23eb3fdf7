package cluster

import (
	"fmt"
	"net"
	"sync"
	"testing"
)

// ports hands out loopback ports that were free a moment ago and never the
// same one twice, so that the nodes of one test cannot collide.
type ports struct {
	mu   sync.Mutex
	used map[int]bool
}

func newPorts() *ports { return &ports{used: map[int]bool{}} }

// tcp returns a port free for TCP.
func (p *ports) tcp(t testing.TB) string {
	return p.pick(t, func() (int, error) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, err
		}
		defer l.Close()
		return l.Addr().(*net.TCPAddr).Port, nil
	})
}

// udp returns a port free for UDP (QUIC).
func (p *ports) udp(t testing.TB) string {
	return p.pick(t, func() (int, error) {
		c, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			return 0, err
		}
		defer c.Close()
		return c.LocalAddr().(*net.UDPAddr).Port, nil
	})
}

// both returns a port free for TCP and UDP at once (gossip uses both).
func (p *ports) both(t testing.TB) string {
	return p.pick(t, func() (int, error) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, err
		}
		defer l.Close()
		port := l.Addr().(*net.TCPAddr).Port
		c, err := net.ListenPacket("udp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			return 0, nil // taken for UDP: try another
		}
		c.Close()
		return port, nil
	})
}

// pick calls try until it yields a port not handed out before.
func (p *ports) pick(t testing.TB, try func() (int, error)) string {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for range 100 {
		port, err := try()
		if err != nil {
			t.Fatalf("find free port: %v", err)
		}
		if port != 0 && !p.used[port] {
			p.used[port] = true
			return fmt.Sprintf("127.0.0.1:%d", port)
		}
	}
	t.Fatal("find free port: no fresh port after 100 tries")
	return ""
}
