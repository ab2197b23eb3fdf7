package replication

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/quic-go/quic-go"
)

// CodeUnknownKind is the RemoteError.Code of a request whose kind has no
// handler on the peer (for example an older version).
const CodeUnknownKind = "unknown_kind"

// errHandlerPanic is what the caller sees of a handler that panicked.
var errHandlerPanic = errors.New("internal error: handler panicked")

// inboundPeer identifies the peer of an accepted connection.
type inboundPeer struct {
	addr   string
	nodeID string
}

// acceptLoop accepts connections until the transport closes.
func (t *Transport) acceptLoop() {
	defer t.wg.Done()
	for {
		conn, err := t.ln.Accept(t.ctx)
		if err != nil {
			return // closed
		}
		t.acceptConn(conn)
	}
}

// acceptConn starts serving a connection whose handshake verified the peer.
func (t *Transport) acceptConn(conn *quic.Conn) {
	nodeID, err := peerNodeID(conn.ConnectionState().TLS)
	if err != nil {
		_ = conn.CloseWithError(codeClosing, "no node id")
		return
	}
	if !t.inbound.add(conn) {
		_ = conn.CloseWithError(codeClosing, "closing")
		return
	}
	peer := inboundPeer{addr: conn.RemoteAddr().String(), nodeID: nodeID}
	t.log.Debug("peer connected", transportLogPeer, peer.addr, transportLogNode, nodeID)
	t.wg.Add(1)
	go t.serveConn(conn, peer)
}

// serveConn runs each incoming stream of conn on its own goroutine, so a slow
// handler never holds up the others; MaxStreams bounds how many run at once.
func (t *Transport) serveConn(conn *quic.Conn, peer inboundPeer) {
	defer t.wg.Done()
	defer t.inbound.remove(conn)
	for {
		s, err := conn.AcceptStream(t.ctx)
		if err != nil {
			return
		}
		t.wg.Add(1)
		go t.serveStream(s, peer)
	}
}

// serveStream answers the requests of one stream, one after another, until
// the caller closes it: one request over ALPN peerALPN, any number over
// peerALPNKeep (transport_streams.go).
func (t *Transport) serveStream(s *quic.Stream, peer inboundPeer) {
	defer t.wg.Done()
	for first := true; ; first = false {
		req, err := t.readRequest(s)
		if err == io.EOF {
			if !first { // the caller is done with the stream
				_ = s.Close()
				return
			}
			err = fmt.Errorf("read request: %w", io.ErrUnexpectedEOF)
		}
		if err != nil {
			t.logBadRequest(peer, err)
			s.CancelRead(codeBadFrame)
			s.CancelWrite(codeBadFrame)
			return
		}
		if err := t.faults.check(peer.addr, peer.nodeID); err != nil {
			s.CancelRead(codeRefused)
			s.CancelWrite(codeRefused)
			return
		}
		if !t.serveRequest(s, peer, req) {
			return
		}
	}
}

// serveRequest runs one request's handler and writes its response; it
// reports whether the stream can carry another request.
func (t *Transport) serveRequest(s *quic.Stream, peer inboundPeer, req frame) bool {
	ctx, cancel := t.streamContext(s)
	defer cancel()
	if err := t.respond(ctx, s, peer.nodeID, req); err != nil {
		t.log.Debug("write response", transportLogPeer, peer.addr, transportLogKind, req.Kind, transportLogErr, err)
		s.CancelWrite(codeCanceled)
		return false
	}
	return true
}

// logBadRequest logs a request that could not be read: a warning for a
// malformed one, debug for one its caller abandoned.
func (t *Transport) logBadRequest(peer inboundPeer, err error) {
	level := slog.LevelDebug
	if errors.Is(err, ErrBadFrame) || errors.Is(err, ErrFrameTooLarge) {
		level = slog.LevelWarn
	}
	t.log.Log(t.ctx, level, "bad request", transportLogPeer, peer.addr, transportLogNode, peer.nodeID, transportLogErr, err)
}

// readRequest reads the next request frame; io.EOF when the stream ends
// before one starts. The request must arrive within IdleTimeout.
func (t *Transport) readRequest(s *quic.Stream) (frame, error) {
	_ = s.SetReadDeadline(time.Now().Add(t.cfg.IdleTimeout))
	f, err := readFrame(s, t.cfg.MaxFrame)
	if err == io.EOF {
		return frame{}, io.EOF
	}
	if err != nil {
		return frame{}, fmt.Errorf("read request: %w", noEOF(err))
	}
	if f.Flags != 0 {
		return frame{}, fmt.Errorf("read request: flags %#x: %w", f.Flags, ErrBadFrame)
	}
	return f, nil
}

// streamContext is canceled when the caller cancels the stream or the
// transport closes.
func (t *Transport) streamContext(s *quic.Stream) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(s.Context())
	stop := context.AfterFunc(t.ctx, cancel)
	return ctx, func() { stop(); cancel() }
}

// respond runs the handler of req and writes its response frames.
func (t *Transport) respond(ctx context.Context, s *quic.Stream, from string, req frame) error {
	h, ok := t.handler(req.Kind)
	switch {
	case !ok:
		err := &RemoteError{Code: CodeUnknownKind, Message: fmt.Sprintf("no handler for kind %d", req.Kind)}
		return writeErrorFrame(s, req.Kind, err)
	case h.stream != nil:
		return t.respondStream(ctx, s, from, req, h.stream)
	default:
		return t.respondUnary(ctx, s, from, req, h.unary)
	}
}

// respondUnary writes a unary handler's answer as one final frame.
func (t *Transport) respondUnary(ctx context.Context, s *quic.Stream, from string, req frame, h Handler) error {
	var resp []byte
	err := t.guard(req.Kind, func() (err error) {
		resp, err = h(ctx, from, req.Payload)
		return err
	})
	if err == nil && len(resp) > t.cfg.MaxFrame {
		err = fmt.Errorf("response of %d bytes: %w", len(resp), ErrFrameTooLarge)
	}
	if err != nil {
		return writeErrorFrame(s, req.Kind, err)
	}
	return writeFrame(s, frame{Kind: req.Kind, Flags: flagResponse, Payload: resp})
}

// respondStream streams a handler's answer as chunks, then a final frame.
func (t *Transport) respondStream(ctx context.Context, s *quic.Stream, from string, req frame, h StreamHandler) error {
	w := newBodyWriter(s, req.Kind, bodyChunkSize)
	err := t.guard(req.Kind, func() error {
		return h(ctx, from, req.Payload, w)
	})
	if ferr := w.Flush(); err == nil { // what the handler wrote precedes its error
		err = ferr
	}
	if err != nil {
		return writeErrorFrame(s, req.Kind, err)
	}
	return writeFrame(s, frame{Kind: req.Kind, Flags: flagResponse})
}

// guard runs fn, turning a panic into errHandlerPanic and logging it.
func (t *Transport) guard(kind Kind, fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			t.log.Error("handler panicked", transportLogKind, kind, transportLogPanic, r, transportLogStack, string(debug.Stack()))
			err = errHandlerPanic
		}
	}()
	return fn()
}

// writeErrorFrame writes err as the final frame of a response.
func writeErrorFrame(s io.Writer, kind Kind, err error) error {
	return writeFrame(s, frame{Kind: kind, Flags: flagResponse | flagError, Payload: encodeRemoteError(err)})
}
