package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// jsonContentType is shared by every JSON answer; net/http never mutates it.
var jsonContentType = []string{"application/json"}

// maxPooledBuffer is the largest response buffer kept for reuse; a rare huge
// answer should not pin its memory.
const maxPooledBuffer = 1 << 20

// writeJSON answers status with the JSON document b.
func writeJSON(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h["Content-Type"] = jsonContentType
	h["Content-Length"] = []string{strconv.Itoa(len(b))}
	w.WriteHeader(status)
	_, _ = w.Write(b) // a write error means the client left; nothing to do
}

// stringObject returns the JSON object {key: value}; key needs no escaping.
func stringObject(key, value string) []byte {
	b := make([]byte, 0, len(key)+len(value)+8)
	b = append(b, `{"`...)
	b = append(b, key...)
	b = append(b, `":`...)
	b = appendString(b, value)
	return append(b, '}')
}

// buffer returns an empty response buffer from the pool.
func (s *Server) buffer() *[]byte {
	if b, ok := s.bufs.Get().(*[]byte); ok {
		*b = (*b)[:0]
		return b
	}
	b := make([]byte, 0, 1024)
	return &b
}

// release returns b to the pool.
func (s *Server) release(b *[]byte) {
	if cap(*b) <= maxPooledBuffer {
		s.bufs.Put(b)
	}
}

// writePooled answers status with the document in the pooled buffer b and
// releases it.
func (s *Server) writePooled(w http.ResponseWriter, status int, b *[]byte) {
	writeJSON(w, status, *b)
	s.release(b)
}

// writeValue answers status with v encoded by encoding/json; for the routes
// off the hot path.
func writeValue(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	writeJSON(w, status, b)
	return nil
}
