package replication

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
)

// Kind names the request a frame carries. Kinds 0–15 are reserved for the
// transport (KindPing is the only one defined); product kinds start at 16.
type Kind uint8

// KindPing is answered by every transport with its request payload (an echo),
// unless a handler is registered for it.
const KindPing Kind = 1

// Frame layout, version 1 (8-byte header, then the payload):
//
//	version u8 (=1) | kind u8 | flags u8 | reserved u8 (=0) | length u32 big endian | payload
const (
	frameVersion    = 1
	frameHeaderSize = 8
	// frameReadChunk bounds how much a decoder allocates ahead of the bytes
	// that actually arrived, so a claimed length costs nothing until sent.
	frameReadChunk = 64 << 10
)

// frameFlags qualify a frame.
type frameFlags uint8

const (
	flagResponse frameFlags = 1 << 0 // sent by the handler side
	flagError    frameFlags = 1 << 1 // the payload is an encoded remote error
	flagMore     frameFlags = 1 << 2 // a chunk of a streamed response; more frames follow
	flagsKnown              = flagResponse | flagError | flagMore
)

// ErrFrameTooLarge is returned for a frame whose payload exceeds the maximum
// frame size; nothing of its payload has been allocated.
var ErrFrameTooLarge = errors.New("frame too large")

// ErrBadFrame is returned for a frame that is malformed or of an unknown version.
var ErrBadFrame = errors.New("malformed frame")

// frameHeader is the decoded fixed-size header of a frame.
type frameHeader struct {
	Kind   Kind
	Flags  frameFlags
	Length uint32
}

// frame is one decoded frame.
type frame struct {
	Kind    Kind
	Flags   frameFlags
	Payload []byte
}

// appendFrameHeader appends the encoded header h to b.
func appendFrameHeader(b []byte, h frameHeader) []byte {
	b = append(b, frameVersion, byte(h.Kind), byte(h.Flags), 0)
	return binary.BigEndian.AppendUint32(b, h.Length)
}

// parseFrameHeader decodes and validates a header. b must hold at least
// frameHeaderSize bytes; the length is checked against maxPayload.
func parseFrameHeader(b []byte, maxPayload int) (frameHeader, error) {
	if len(b) < frameHeaderSize {
		return frameHeader{}, fmt.Errorf("parse frame header: %d bytes: %w", len(b), ErrBadFrame)
	}
	h := frameHeader{Kind: Kind(b[1]), Flags: frameFlags(b[2]), Length: binary.BigEndian.Uint32(b[4:8])}
	switch {
	case b[0] != frameVersion:
		return frameHeader{}, fmt.Errorf("parse frame header: version %d: %w", b[0], ErrBadFrame)
	case b[3] != 0:
		return frameHeader{}, fmt.Errorf("parse frame header: reserved byte %#x: %w", b[3], ErrBadFrame)
	case h.Flags&^flagsKnown != 0:
		return frameHeader{}, fmt.Errorf("parse frame header: flags %#x: %w", h.Flags, ErrBadFrame)
	case uint64(h.Length) > uint64(max(maxPayload, 0)):
		return frameHeader{}, fmt.Errorf("parse frame header: %d bytes over limit %d: %w", h.Length, maxPayload, ErrFrameTooLarge)
	}
	return h, nil
}

// readFrame reads one frame from r, rejecting payloads over maxPayload before
// reading them. A stream that ends before the first byte gives io.EOF; one that
// ends inside a frame gives io.ErrUnexpectedEOF.
func readFrame(r io.Reader, maxPayload int) (frame, error) {
	var hb [frameHeaderSize]byte
	if _, err := io.ReadFull(r, hb[:]); err != nil {
		return frame{}, err
	}
	h, err := parseFrameHeader(hb[:], maxPayload)
	if err != nil {
		return frame{}, err
	}
	payload, err := readFramePayload(r, int(h.Length))
	if err != nil {
		return frame{}, err
	}
	return frame{Kind: h.Kind, Flags: h.Flags, Payload: payload}, nil
}

// readFramePayload reads exactly n bytes, growing its buffer only as data
// arrives (at most doubling), so a lying length allocates little.
func readFramePayload(r io.Reader, n int) ([]byte, error) {
	buf := make([]byte, 0, min(n, frameReadChunk))
	for len(buf) < n {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, min(n-len(buf), len(buf)))
		}
		end := min(cap(buf), n)
		k, err := io.ReadFull(r, buf[len(buf):end])
		buf = buf[:len(buf)+k]
		if err != nil {
			return nil, noEOF(err)
		}
	}
	return buf, nil
}

// noEOF turns io.EOF inside a frame into io.ErrUnexpectedEOF.
func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// writeFrame writes f to w; small frames go out in a single Write.
func writeFrame(w io.Writer, f frame) error {
	if uint64(len(f.Payload)) > 1<<32-1 {
		return fmt.Errorf("write frame: %d bytes: %w", len(f.Payload), ErrFrameTooLarge)
	}
	h := frameHeader{Kind: f.Kind, Flags: f.Flags, Length: uint32(len(f.Payload))}
	if len(f.Payload) <= frameReadChunk {
		b := appendFrameHeader(make([]byte, 0, frameHeaderSize+len(f.Payload)), h)
		_, err := w.Write(append(b, f.Payload...))
		return err
	}
	if _, err := w.Write(appendFrameHeader(nil, h)); err != nil {
		return err
	}
	_, err := w.Write(f.Payload)
	return err
}
