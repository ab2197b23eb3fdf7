package replication

import (
	"encoding/binary"
	"errors"
)

// errShortBuffer reports a truncated or malformed gossip encoding.
var errShortBuffer = errors.New("truncated encoding")

// codecWriter appends the compact encoding shared by node metadata and the
// membership state exchanged on push/pull: unsigned varints and
// length-prefixed byte strings.
type codecWriter struct {
	buf []byte
}

func (w *codecWriter) uvarint(v uint64) {
	w.buf = binary.AppendUvarint(w.buf, v)
}

func (w *codecWriter) varint(v int64) {
	w.buf = binary.AppendVarint(w.buf, v)
}

func (w *codecWriter) bytes(b []byte) {
	w.uvarint(uint64(len(b)))
	w.buf = append(w.buf, b...)
}

func (w *codecWriter) string(s string) {
	w.uvarint(uint64(len(s)))
	w.buf = append(w.buf, s...)
}

// codecReader reads what codecWriter wrote. The first failure sticks in err
// and every later read returns a zero value, so callers check err once.
type codecReader struct {
	buf []byte
	err error
}

func (r *codecReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.buf)
	if n <= 0 {
		r.err = errShortBuffer
		return 0
	}
	r.buf = r.buf[n:]
	return v
}

func (r *codecReader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.buf)
	if n <= 0 {
		r.err = errShortBuffer
		return 0
	}
	r.buf = r.buf[n:]
	return v
}

func (r *codecReader) bytes() []byte {
	n := r.uvarint()
	if r.err != nil {
		return nil
	}
	if n > uint64(len(r.buf)) {
		r.err = errShortBuffer
		return nil
	}
	b := r.buf[:n:n]
	r.buf = r.buf[n:]
	return b
}

func (r *codecReader) string() string {
	return string(r.bytes())
}
