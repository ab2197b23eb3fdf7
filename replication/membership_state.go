package replication

import (
	"bytes"
	"errors"
	"fmt"
	"time"
)

// stateFormat versions the push/pull state (the dead-member list) and is
// announced as memberlist's delegate protocol version.
const stateFormat = 1

// encodeDeadState encodes dead members as: format byte, count, then per
// member its node id, gossip address, since (unix ms) and raw metadata.
func encodeDeadState(entries []tableEntry) []byte {
	w := codecWriter{buf: []byte{stateFormat}}
	w.uvarint(uint64(len(entries)))
	for _, e := range entries {
		w.string(e.NodeID)
		w.string(e.GossipAddr)
		w.varint(e.Since.UnixMilli())
		w.bytes(e.rawMeta)
	}
	return w.buf
}

// decodeDeadState decodes what encodeDeadState wrote. An empty buffer (a
// peer without state) decodes to no entries.
func decodeDeadState(b []byte) ([]tableEntry, error) {
	if len(b) == 0 {
		return nil, nil
	}
	if b[0] != stateFormat {
		return nil, fmt.Errorf("decode membership state: unsupported format %d", b[0])
	}
	r := codecReader{buf: b[1:]}
	n := r.uvarint()
	if n > uint64(len(r.buf)) {
		return nil, fmt.Errorf("decode membership state: %d entries in %d bytes: %w", n, len(r.buf), errShortBuffer)
	}
	entries := make([]tableEntry, 0, n)
	for range n {
		e, err := decodeDeadEntry(&r)
		if err != nil {
			return nil, fmt.Errorf("decode membership state: %w", err)
		}
		entries = append(entries, e)
	}
	return entries, nil
}

func decodeDeadEntry(r *codecReader) (tableEntry, error) {
	name, addr := r.string(), r.string()
	since, raw := r.varint(), r.bytes()
	if r.err != nil {
		return tableEntry{}, r.err
	}
	if name == "" {
		return tableEntry{}, errors.New("dead member without node id")
	}
	meta, err := decodeMeta(name, raw)
	if err != nil {
		return tableEntry{}, fmt.Errorf("dead member %q: %w", name, err)
	}
	return tableEntry{
		Member:  Member{Meta: meta, State: MemberDead, GossipAddr: addr, Since: time.UnixMilli(since)},
		rawMeta: bytes.Clone(raw),
	}, nil
}
