package replication

import (
	"context"
	"fmt"
	"io"

	"github.com/quic-go/quic-go"
)

// Call sends req to the peer at addr and returns its handler's response, or
// its error as a *RemoteError (wrapped; use errors.As). It reuses one QUIC
// connection per address, redialing a broken one, and a stream per call that
// the next call reuses when the peer keeps streams (transport_streams.go);
// ctx bounds the whole call and its cancellation cancels the handler's
// context. A call is sent at most once: after a failure the request may or
// may not have run, and retrying is the caller's decision.
func (t *Transport) Call(ctx context.Context, addr string, kind Kind, req []byte) ([]byte, error) {
	c, err := t.openCall(ctx, addr, kind, req, true)
	if err != nil {
		return nil, fmt.Errorf("call %s kind %d: %w", addr, kind, callError(ctx, err))
	}
	resp, err := readUnaryResponse(c.s, t.cfg.MaxFrame)
	switch {
	case err == nil || isRemote(err): // the answer was read in full
		c.finish()
	default:
		c.stop()
		abortStream(c.s)
	}
	if err != nil {
		return nil, fmt.Errorf("call %s kind %d: %w", addr, kind, callError(ctx, err))
	}
	return resp, nil
}

// readUnaryResponse reads the single final frame of a unary response.
func readUnaryResponse(r io.Reader, maxFrame int) ([]byte, error) {
	f, err := readFrame(r, maxFrame)
	switch {
	case err != nil:
		return nil, noEOF(err)
	case f.Flags&flagResponse == 0:
		return nil, fmt.Errorf("read response: flags %#x: %w", f.Flags, ErrBadFrame)
	case f.Flags&flagError != 0:
		return nil, remoteErrorOf(f.Payload)
	case f.Flags&flagMore != 0:
		return nil, ErrStreamedResponse
	}
	return f.Payload, nil
}

// CallStream sends req to the peer at addr and returns the streamed
// response body. ctx bounds the whole call, reading the body included. A
// handler error arrives as a *RemoteError from Read; a body cut short gives
// io.ErrUnexpectedEOF, never a clean io.EOF. The caller must Close the body.
// A unary handler's response reads as a one-chunk body.
func (t *Transport) CallStream(ctx context.Context, addr string, kind Kind, req []byte) (io.ReadCloser, error) {
	c, err := t.openCall(ctx, addr, kind, req, false)
	if err != nil {
		return nil, fmt.Errorf("call stream %s kind %d: %w", addr, kind, callError(ctx, err))
	}
	return &callBody{bodyReader: bodyReader{r: c.s, maxFrame: t.cfg.MaxFrame}, ctx: ctx, s: c.s, stop: c.stop}, nil
}

// call is a request sent on a stream, waiting for its answer.
type call struct {
	link *peerLink
	s    *quic.Stream
	kept bool        // the stream stays open for the link's next call
	stop func() bool // unhooks the cancel-on-ctx hook; false once it ran
}

// finish ends a call whose answer was read: a kept stream goes back to its
// link unless ctx ended (and aborted it) meanwhile.
func (c *call) finish() {
	if !c.stop() {
		return
	}
	if c.kept {
		c.link.kept.put(c.s)
		return
	}
	c.s.CancelRead(codeCanceled) // the final frame is all we read
}

// openCall sends req on a stream to addr: one the link kept when reuse is
// true and the peer keeps streams, otherwise a new one whose sending side
// it closes.
func (t *Transport) openCall(ctx context.Context, addr string, kind Kind, req []byte, reuse bool) (*call, error) {
	if len(req) > t.cfg.MaxFrame {
		return nil, fmt.Errorf("request of %d bytes: %w", len(req), ErrFrameTooLarge)
	}
	if err := t.faults.delay(ctx); err != nil {
		return nil, err
	}
	l, err := t.link(ctx, addr)
	if err != nil {
		return nil, err
	}
	if err := t.faults.check(addr, l.nodeID); err != nil {
		return nil, err
	}
	c := &call{link: l, kept: reuse && l.keep}
	if c.kept {
		c.s = l.kept.take(t.cfg.IdleTimeout / 2)
	}
	if c.s == nil {
		if c.s, err = l.conn.OpenStreamSync(ctx); err != nil {
			return nil, fmt.Errorf("open stream: %w", err)
		}
	}
	s := c.s
	c.stop = context.AfterFunc(ctx, func() { abortStream(s) })
	if err := writeFrame(s, frame{Kind: kind, Payload: req}); err != nil {
		c.stop()
		abortStream(s)
		return nil, fmt.Errorf("write request: %w", err)
	}
	if !c.kept {
		_ = s.Close()
	}
	return c, nil
}

// abortStream cancels both directions of a call's stream.
func abortStream(s *quic.Stream) {
	s.CancelWrite(codeCanceled)
	s.CancelRead(codeCanceled)
}
