package replication

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/warren-db/warren/engine"
)

// The messages every write sends (PREPARE, COMMIT, ABORT, PUSH) travel in a
// binary form: a tag byte, the database name, then the change sets
// (engine.AppendChangeSets) or the set identities. The other messages are
// JSON. Decoders tell the forms apart by the first byte (JSON starts with
// '{'), so they also read the JSON form older nodes sent.
const binaryTag = 0x01

// binaryEncoder is a message with a binary form; binaryDecoder reads it.
type (
	binaryEncoder interface{ appendBinary(dst []byte) []byte }
	binaryDecoder interface{ decodeBinary(b []byte) error }
)

var errBadMessage = errors.New("malformed message")

func (m setsMsg) appendBinary(dst []byte) []byte {
	dst = appendString(append(dst, binaryTag), m.DB)
	return engine.AppendChangeSets(dst, m.Sets)
}

func (m *setsMsg) decodeBinary(b []byte) error {
	r := msgReader{b: b[1:]}
	db := r.string()
	if r.err != nil {
		return r.err
	}
	sets, rest, err := engine.DecodeChangeSets(r.b)
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return fmt.Errorf("%w: %d bytes after the sets", errBadMessage, len(rest))
	}
	m.DB, m.Sets = db, sets
	return nil
}

func (m idsMsg) appendBinary(dst []byte) []byte {
	dst = appendString(append(dst, binaryTag), m.DB)
	dst = binary.AppendUvarint(dst, uint64(len(m.IDs)))
	for _, id := range m.IDs {
		dst = appendString(dst, id.Origin)
		dst = binary.AppendUvarint(dst, id.Seq)
		dst = binary.AppendUvarint(dst, uint64(id.HLC))
	}
	return dst
}

func (m *idsMsg) decodeBinary(b []byte) error {
	r := msgReader{b: b[1:]}
	db := r.string()
	n := r.uvarint()
	if n > uint64(len(r.b)/3) { // an identity takes at least 3 bytes
		return fmt.Errorf("%w: %d identities in %d bytes", errBadMessage, n, len(r.b))
	}
	ids := make([]engine.SetID, n)
	for i := range ids {
		ids[i] = engine.SetID{Origin: r.string(), Seq: r.uvarint(), HLC: engine.HLC(r.uvarint())}
	}
	if r.err == nil && len(r.b) != 0 {
		r.err = fmt.Errorf("%w: %d bytes after the identities", errBadMessage, len(r.b))
	}
	if r.err != nil {
		return r.err
	}
	m.DB, m.IDs = db, ids
	return nil
}

func appendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// msgReader reads a binary message; the first error sticks.
type msgReader struct {
	b   []byte
	err error
}

func (r *msgReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		if r.err == nil {
			r.err = fmt.Errorf("%w: bad varint", errBadMessage)
		}
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *msgReader) string() string {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		if r.err == nil {
			r.err = fmt.Errorf("%w: string of %d bytes in %d", errBadMessage, n, len(r.b))
		}
		r.b = nil
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}
