package replication

import (
	"context"
	"errors"
	"fmt"

	"github.com/quic-go/quic-go"
)

// ErrTransportClosed is returned by calls on a closed Transport.
var ErrTransportClosed = errors.New("transport closed")

// ErrRefused is returned when the peer refused a request: a fault filter on
// its side blocks this node.
var ErrRefused = errors.New("peer refused request")

// ErrStreamedResponse is returned by Call when the handler streams its
// response; use CallStream for that kind.
var ErrStreamedResponse = errors.New("response is streamed: use CallStream")

// RemoteError is the error a peer's handler returned. Message is the
// handler error's text; Code is the code of a handler error that has an
// ErrorCode() string method (see Coded), else "".
type RemoteError struct {
	Code    string
	Message string
}

// Error returns the remote message, prefixed by its code when there is one.
func (e *RemoteError) Error() string {
	if e.Code == "" {
		return "remote: " + e.Message
	}
	return "remote: " + e.Code + ": " + e.Message
}

// ErrorCode returns Code, so a handler may pass a peer's error on unchanged.
func (e *RemoteError) ErrorCode() string { return e.Code }

// Coded is implemented by handler errors that carry a machine-readable code;
// the caller finds it in RemoteError.Code.
type Coded interface {
	ErrorCode() string
}

// QUIC error codes this transport sends.
const (
	codeClosing  quic.ApplicationErrorCode = 0 // transport shutting down
	codeCanceled quic.StreamErrorCode      = 1 // the caller gave up
	codeRefused  quic.StreamErrorCode      = 2 // a fault filter refused the request
	codeBadFrame quic.StreamErrorCode      = 3 // malformed request
)

// maxRemoteMessage bounds the error text sent to a caller.
const maxRemoteMessage = 16 << 10

// encodeRemoteError encodes a handler error as an error frame payload:
// code length u8 | code | message.
func encodeRemoteError(err error) []byte {
	var code string
	var c Coded
	if errors.As(err, &c) {
		code = c.ErrorCode()
	}
	code = code[:min(len(code), 255)]
	msg := err.Error()
	if re, ok := err.(*RemoteError); ok {
		msg = re.Message
	}
	msg = msg[:min(len(msg), maxRemoteMessage)]
	b := make([]byte, 0, 1+len(code)+len(msg))
	b = append(b, byte(len(code)))
	return append(append(b, code...), msg...)
}

// decodeRemoteError decodes an error frame payload.
func decodeRemoteError(p []byte) (*RemoteError, error) {
	if len(p) < 1 || len(p) < 1+int(p[0]) {
		return nil, fmt.Errorf("decode remote error: %d bytes: %w", len(p), ErrBadFrame)
	}
	n := int(p[0])
	return &RemoteError{Code: string(p[1 : 1+n]), Message: string(p[1+n:])}, nil
}

// callError maps a failure of a call's stream to the error its caller sees:
// the context's error once ctx is done, ErrRefused for a refusal.
func callError(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	var se *quic.StreamError
	if !errors.As(err, &se) || !se.Remote {
		return err
	}
	switch se.ErrorCode {
	case codeRefused:
		return ErrRefused
	case codeBadFrame:
		return fmt.Errorf("peer rejected the request: %w", ErrBadFrame)
	}
	return err
}
