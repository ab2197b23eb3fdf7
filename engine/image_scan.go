package engine

import (
	"encoding/hex"
	"unicode/utf8"
)

// imageScanner decodes row images and keys the way the capture triggers
// write them (flat JSON: plain strings, numbers, null, and {"$b":"hex"} for
// BLOBs) without encoding/json's reflection: applying a peer's change set
// decodes one image per row. It accepts only valid JSON, and gives up on
// anything it does not handle (escapes, invalid UTF-8, other objects): the
// caller then takes the encoding/json path, which decides.
type imageScanner struct {
	buf []byte
	i   int
}

// scanImage decodes an image object; ok is false when the scanner gave up.
func scanImage(raw []byte) (out map[string]Value, ok bool) {
	s := imageScanner{buf: raw}
	if !s.consume('{') {
		return nil, false
	}
	out = make(map[string]Value, 8)
	if s.consume('}') {
		return out, s.end()
	}
	for {
		key, ok := s.plainString()
		if !ok || !s.consume(':') {
			return nil, false
		}
		v, ok := s.value()
		if !ok {
			return nil, false
		}
		out[key] = v
		if s.consume('}') {
			return out, s.end()
		}
		if !s.consume(',') {
			return nil, false
		}
	}
}

// scanKey decodes a key array; ok is false when the scanner gave up.
func scanKey(raw []byte) (out []Value, ok bool) {
	s := imageScanner{buf: raw}
	if !s.consume('[') {
		return nil, false
	}
	out = make([]Value, 0, 1)
	if s.consume(']') {
		return out, s.end()
	}
	for {
		v, ok := s.value()
		if !ok {
			return nil, false
		}
		out = append(out, v)
		if s.consume(']') {
			return out, s.end()
		}
		if !s.consume(',') {
			return nil, false
		}
	}
}

func (s *imageScanner) skipSpace() {
	for s.i < len(s.buf) {
		switch s.buf[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// consume skips white space and then c, if c is next.
func (s *imageScanner) consume(c byte) bool {
	s.skipSpace()
	if s.i < len(s.buf) && s.buf[s.i] == c {
		s.i++
		return true
	}
	return false
}

// end reports whether only white space is left.
func (s *imageScanner) end() bool {
	s.skipSpace()
	return s.i == len(s.buf)
}

func (s *imageScanner) value() (Value, bool) {
	s.skipSpace()
	if s.i >= len(s.buf) {
		return nil, false
	}
	switch c := s.buf[s.i]; {
	case c == '"':
		return s.plainString()
	case c == 'n':
		return nil, s.literal("null")
	case c == 't':
		return int64(1), s.literal("true")
	case c == 'f':
		return int64(0), s.literal("false")
	case c == '{':
		return s.blob()
	case c == '-' || c >= '0' && c <= '9':
		return s.number()
	}
	return nil, false
}

func (s *imageScanner) literal(word string) bool {
	if len(s.buf)-s.i < len(word) || string(s.buf[s.i:s.i+len(word)]) != word {
		return false
	}
	s.i += len(word)
	return true
}

// plainString reads a string without escapes or control characters whose
// bytes are valid UTF-8.
func (s *imageScanner) plainString() (string, bool) {
	if !s.consume('"') {
		return "", false
	}
	start, ascii := s.i, true
	for ; s.i < len(s.buf); s.i++ {
		switch c := s.buf[s.i]; {
		case c == '"':
			str := s.buf[start:s.i]
			s.i++
			if !ascii && !utf8.Valid(str) {
				return "", false
			}
			return string(str), true
		case c == '\\' || c < 0x20:
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return "", false
}

// blob reads {"$b":"<hex>"}.
func (s *imageScanner) blob() (Value, bool) {
	if !s.consume('{') {
		return nil, false
	}
	if key, ok := s.plainString(); !ok || key != "$b" || !s.consume(':') {
		return nil, false
	}
	h, ok := s.plainString()
	if !ok || !s.consume('}') {
		return nil, false
	}
	b, err := hex.DecodeString(h)
	return b, err == nil
}

// number reads a JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *imageScanner) number() (Value, bool) {
	start := s.i
	if s.buf[s.i] == '-' {
		s.i++
	}
	switch {
	case s.i < len(s.buf) && s.buf[s.i] == '0':
		s.i++
	case s.digits() == 0:
		return nil, false
	}
	if s.i < len(s.buf) && s.buf[s.i] == '.' {
		s.i++
		if s.digits() == 0 {
			return nil, false
		}
	}
	if s.i < len(s.buf) && (s.buf[s.i] == 'e' || s.buf[s.i] == 'E') {
		s.i++
		if s.i < len(s.buf) && (s.buf[s.i] == '+' || s.buf[s.i] == '-') {
			s.i++
		}
		if s.digits() == 0 {
			return nil, false
		}
	}
	v, err := decodeNumber(string(s.buf[start:s.i]))
	return v, err == nil
}

func (s *imageScanner) digits() int {
	n := 0
	for s.i < len(s.buf) && s.buf[s.i] >= '0' && s.buf[s.i] <= '9' {
		s.i++
		n++
	}
	return n
}
