package wordpress

import (
	"fmt"
	"net"
	"testing"
)

// ports hands out loopback ports that were free a moment ago, never the
// same one twice.
type ports struct{ used map[int]bool }

func newPorts() *ports { return &ports{used: map[int]bool{}} }

// tcp returns a port free for TCP.
func (p *ports) tcp(t *testing.T) int {
	return p.pick(t, false)
}

// both returns a port free for TCP and UDP at once (gossip uses both).
func (p *ports) both(t *testing.T) int {
	return p.pick(t, true)
}

// udp returns a port free for UDP (QUIC).
func (p *ports) udp(t *testing.T) int {
	t.Helper()
	for range 100 {
		c, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("find free udp port: %v", err)
		}
		port := c.LocalAddr().(*net.UDPAddr).Port
		c.Close()
		if !p.used[port] {
			p.used[port] = true
			return port
		}
	}
	t.Fatal("find free udp port: no fresh port after 100 tries")
	return 0
}

// pick finds a fresh TCP port, also free for UDP when udp is set.
func (p *ports) pick(t *testing.T, udp bool) int {
	t.Helper()
	for range 100 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("find free port: %v", err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if p.used[port] {
			continue
		}
		if udp {
			c, err := net.ListenPacket("udp", fmt.Sprintf("127.0.0.1:%d", port))
			if err != nil {
				continue
			}
			c.Close()
		}
		p.used[port] = true
		return port
	}
	t.Fatal("find free port: no fresh port after 100 tries")
	return 0
}
