package mysqlwire

import (
	"bufio"
	"net"
)

// bufConn batches a connection's writes: go-mysql writes each packet with
// its own Write, so a result set of n rows would cost n system calls. During
// the handshake it writes through (go-mysql never flushes); afterwards the
// command loop flushes once per response.
type bufConn struct {
	net.Conn
	w        *bufio.Writer
	buffered bool
	patched  bool // the initial handshake got extraCapabilities
}

func newBufConn(c net.Conn) *bufConn {
	return &bufConn{Conn: c, w: bufio.NewWriterSize(c, 32<<10)}
}

// Write buffers p once buffering started, else writes it through. The
// first write is go-mysql's initial handshake: it gets extraCapabilities.
func (b *bufConn) Write(p []byte) (int, error) {
	if !b.patched {
		b.patched = true
		patchHandshake(p)
	}
	if !b.buffered {
		return b.Conn.Write(p)
	}
	return b.w.Write(p)
}

// startBuffering makes later writes wait for flush.
func (b *bufConn) startBuffering() { b.buffered = true }

// flush sends what is buffered.
func (b *bufConn) flush() error { return b.w.Flush() }
