package replication

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/quic-go/quic-go"
)

// bodyChunkSize is the size of a streamed response's chunks: every peer
// accepts it, since MaxFrame is at least that.
const bodyChunkSize = 64 << 10

// bodyWriter frames a streamed response: it fills a chunk and sends it as a
// flagMore frame, reusing one buffer with room for the header in front.
type bodyWriter struct {
	w     io.Writer
	kind  Kind
	chunk int
	buf   []byte // header space + pending data
	err   error
}

func newBodyWriter(w io.Writer, kind Kind, chunk int) *bodyWriter {
	return &bodyWriter{w: w, kind: kind, chunk: chunk, buf: make([]byte, frameHeaderSize, frameHeaderSize+chunk)}
}

// Write buffers p, sending every full chunk.
func (b *bodyWriter) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 && b.err == nil {
		k := min(len(p), frameHeaderSize+b.chunk-len(b.buf))
		b.buf = append(b.buf, p[:k]...)
		p, n = p[k:], n+k
		if len(b.buf) == frameHeaderSize+b.chunk {
			b.err = b.Flush()
		}
	}
	return n, b.err
}

// Flush sends the pending data, if any.
func (b *bodyWriter) Flush() error {
	if b.err != nil || len(b.buf) == frameHeaderSize {
		return b.err
	}
	h := frameHeader{Kind: b.kind, Flags: flagResponse | flagMore, Length: uint32(len(b.buf) - frameHeaderSize)}
	appendFrameHeader(b.buf[:0], h)
	if _, err := b.w.Write(b.buf); err != nil {
		b.err = fmt.Errorf("write response chunk: %w", err)
		return b.err
	}
	b.buf = b.buf[:frameHeaderSize]
	return nil
}

// bodyReader reads a streamed response: chunks, then a final frame that ends
// the body (io.EOF) or carries the handler's error (*RemoteError). A stream
// that ends without the final frame gives io.ErrUnexpectedEOF.
type bodyReader struct {
	r        io.Reader
	maxFrame int
	pending  []byte
	err      error // sticky: io.EOF once the body is complete
}

// Read returns the body's bytes in order.
func (b *bodyReader) Read(p []byte) (int, error) {
	for len(b.pending) == 0 && b.err == nil {
		b.next()
	}
	if len(b.pending) == 0 {
		return 0, b.err
	}
	n := copy(p, b.pending)
	b.pending = b.pending[n:]
	return n, nil
}

// next decodes one frame into pending or err.
func (b *bodyReader) next() {
	f, err := readFrame(b.r, b.maxFrame)
	switch {
	case err != nil:
		b.err = noEOF(err)
	case f.Flags&flagResponse == 0:
		b.err = fmt.Errorf("read response: flags %#x: %w", f.Flags, ErrBadFrame)
	case f.Flags&flagError != 0:
		b.err = remoteErrorOf(f.Payload)
	case f.Flags&flagMore != 0:
		b.pending = f.Payload
	default:
		b.pending, b.err = f.Payload, io.EOF
	}
}

// remoteErrorOf decodes an error frame payload into the error it carries.
func remoteErrorOf(p []byte) error {
	re, err := decodeRemoteError(p)
	if err != nil {
		return err
	}
	return re
}

// callBody is the io.ReadCloser CallStream returns. Close abandons the rest
// of the body and frees the stream.
type callBody struct {
	bodyReader
	ctx  context.Context
	s    *quic.Stream
	stop func() bool // stops the cancel-on-ctx hook
}

// Read reads the body, mapping stream failures to the caller's view.
func (c *callBody) Read(p []byte) (int, error) {
	n, err := c.bodyReader.Read(p)
	if err != nil && err != io.EOF && !isRemote(err) {
		err = callError(c.ctx, err)
	}
	return n, err
}

// Close frees the stream; it is safe to call more than once.
func (c *callBody) Close() error {
	c.stop()
	c.s.CancelRead(codeCanceled)
	return nil
}

// isRemote reports whether err came from the peer's handler.
func isRemote(err error) bool {
	var re *RemoteError
	return errors.As(err, &re)
}
