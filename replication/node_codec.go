package replication

import (
	"errors"
	"fmt"

	"github.com/warren-db/warren/engine"
)

// The messages every write sends (PREPARE, COMMIT, ABORT, PUSH) travel in a
// binary form: a tag byte, the database name, then the change sets
// (engine.AppendChangeSets) or the set identities (engine.AppendSetIDs).
// The other messages are JSON. Decoders tell the forms apart by the first
// byte (JSON starts with '{'), so they also read the JSON form older nodes
// sent.
const binaryTag = 0x01

// binaryEncoder is a message with a binary form; binaryDecoder reads it.
type (
	binaryEncoder interface{ appendBinary(dst []byte) []byte }
	binaryDecoder interface{ decodeBinary(b []byte) error }
)

var errBadMessage = errors.New("malformed message")

func (m setsMsg) appendBinary(dst []byte) []byte {
	return engine.AppendChangeSets(engine.AppendString(append(dst, binaryTag), m.DB), m.Sets)
}

func (m *setsMsg) decodeBinary(b []byte) error {
	db, sets, err := decodeTagged(b, engine.DecodeChangeSets)
	if err == nil {
		m.DB, m.Sets = db, sets
	}
	return err
}

func (m idsMsg) appendBinary(dst []byte) []byte {
	return engine.AppendSetIDs(engine.AppendString(append(dst, binaryTag), m.DB), m.IDs)
}

func (m *idsMsg) decodeBinary(b []byte) error {
	db, ids, err := decodeTagged(b, engine.DecodeSetIDs)
	if err == nil {
		m.DB, m.IDs = db, ids
	}
	return err
}

// decodeTagged reads a binary message after its tag: the database name,
// then the payload with decodePayload, which must use up the bytes.
func decodeTagged[T any](b []byte, decodePayload func([]byte) (T, []byte, error)) (string, T, error) {
	var zero T
	db, rest, err := engine.DecodeString(b[1:])
	if err != nil {
		return "", zero, err
	}
	v, rest, err := decodePayload(rest)
	if err := whole(rest, err); err != nil {
		return "", zero, err
	}
	return db, v, nil
}

// whole fails a decode that left bytes over.
func whole(rest []byte, err error) error {
	if err == nil && len(rest) != 0 {
		err = fmt.Errorf("%w: %d bytes after the message", errBadMessage, len(rest))
	}
	return err
}
