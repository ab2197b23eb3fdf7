package replication

import (
	"context"
	"fmt"
	"io"

	"github.com/quic-go/quic-go"
)

// Call sends req to the peer at addr and returns its handler's response, or
// its error as a *RemoteError (wrapped; use errors.As). It reuses one QUIC
// connection per address, redialing a broken one, and opens one stream per
// call; ctx bounds the whole call and its cancellation cancels the handler's
// context. A call is sent at most once: after a failure the request may or
// may not have run, and retrying is the caller's decision.
func (t *Transport) Call(ctx context.Context, addr string, kind Kind, req []byte) ([]byte, error) {
	s, stop, err := t.openCall(ctx, addr, kind, req)
	if err != nil {
		return nil, fmt.Errorf("call %s kind %d: %w", addr, kind, callError(ctx, err))
	}
	defer stop()
	defer s.CancelRead(codeCanceled) // the final frame is all we read
	resp, err := readUnaryResponse(s, t.cfg.MaxFrame)
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
	s, stop, err := t.openCall(ctx, addr, kind, req)
	if err != nil {
		return nil, fmt.Errorf("call stream %s kind %d: %w", addr, kind, callError(ctx, err))
	}
	return &callBody{bodyReader: bodyReader{r: s, maxFrame: t.cfg.MaxFrame}, ctx: ctx, s: s, stop: stop}, nil
}

// openCall sends req on a new stream to addr and closes the sending side.
// The returned stop function unhooks the cancel-on-ctx hook.
func (t *Transport) openCall(ctx context.Context, addr string, kind Kind, req []byte) (*quic.Stream, func() bool, error) {
	if len(req) > t.cfg.MaxFrame {
		return nil, nil, fmt.Errorf("request of %d bytes: %w", len(req), ErrFrameTooLarge)
	}
	if err := t.faults.delay(ctx); err != nil {
		return nil, nil, err
	}
	l, err := t.link(ctx, addr)
	if err != nil {
		return nil, nil, err
	}
	if err := t.faults.check(addr, l.nodeID); err != nil {
		return nil, nil, err
	}
	s, err := l.conn.OpenStreamSync(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("open stream: %w", err)
	}
	stop := context.AfterFunc(ctx, func() { abortStream(s) })
	if err := writeFrame(s, frame{Kind: kind, Payload: req}); err != nil {
		stop()
		abortStream(s)
		return nil, nil, fmt.Errorf("write request: %w", err)
	}
	_ = s.Close()
	return s, stop, nil
}

// abortStream cancels both directions of a call's stream.
func abortStream(s *quic.Stream) {
	s.CancelWrite(codeCanceled)
	s.CancelRead(codeCanceled)
}
