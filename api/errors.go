package api

import (
	"net/http"

	"github.com/warren-db/warren/engine"
)

// statusOf is the one place where an engine.Code becomes an HTTP status.
// A constraint violation is a conflict with the data, so it answers 409; the
// other SQL errors are the request's fault and answer 400. A timeout answers
// 504: the node (or the peers it waited for) did not finish in time, which is
// not the client being slow to send (408).
var statusOf = map[engine.Code]int{
	engine.CodeInvalid:      http.StatusBadRequest,
	engine.CodeSyntax:       http.StatusBadRequest,
	engine.CodeSQL:          http.StatusBadRequest,
	engine.CodeReadOnly:     http.StatusBadRequest,
	engine.CodeConstraint:   http.StatusConflict,
	engine.CodeNotFound:     http.StatusNotFound,
	engine.CodeTxNotFound:   http.StatusNotFound,
	engine.CodeExists:       http.StatusConflict,
	engine.CodeTooLarge:     http.StatusRequestEntityTooLarge,
	engine.CodeTimeout:      http.StatusGatewayTimeout,
	engine.CodeBusy:         http.StatusServiceUnavailable,
	engine.CodeUnavailable:  http.StatusServiceUnavailable,
	engine.CodeUnauthorized: http.StatusUnauthorized,
	engine.CodeForbidden:    http.StatusForbidden,
	engine.CodeGone:         http.StatusGone,
	engine.CodeInternal:     http.StatusInternalServerError,
}

// retryAfterSeconds is the Retry-After of a 503.
const retryAfterSeconds = "1"

// httpStatus returns the status for code; codes outside the table are internal.
func httpStatus(code engine.Code) int {
	if st, ok := statusOf[code]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// errorBody returns the code and client-safe message of err. Internal errors
// (and errors outside the engine vocabulary) get a generic message and are
// logged with their cause, which is never sent.
func (s *Server) errorBody(r *http.Request, err error) (engine.Code, string) {
	code := engine.ErrorCode(err)
	if _, known := statusOf[code]; !known || code == engine.CodeInternal {
		s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		return engine.CodeInternal, "internal error"
	}
	return code, engine.ErrorMessage(err)
}

// writeError answers err as {"error": {"code": ..., "message": ...}}.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code, msg := s.errorBody(r, err)
	status := httpStatus(code)
	h := w.Header()
	switch status {
	case http.StatusServiceUnavailable:
		h.Set("Retry-After", retryAfterSeconds)
	case http.StatusUnauthorized:
		h.Set("WWW-Authenticate", `Bearer realm="warren"`)
	}
	b := appendErrorBody(make([]byte, 0, 64+len(msg)), code, msg)
	writeJSON(w, status, b)
}

// appendErrorBody appends {"error": {...}} to b.
func appendErrorBody(b []byte, code engine.Code, msg string) []byte {
	b = append(b, `{"error":`...)
	b = appendErrorObject(b, code, msg)
	return append(b, '}')
}

// appendErrorObject appends {"code": ..., "message": ...} to b.
func appendErrorObject(b []byte, code engine.Code, msg string) []byte {
	b = append(b, `{"code":`...)
	b = appendString(b, string(code))
	b = append(b, `,"message":`...)
	b = appendString(b, msg)
	return append(b, '}')
}
