package engine

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// Binary form of change sets, for the replication wire and the staging log:
// cheaper to write and read than JSON, and it copies the row images as they
// are. Integers are varints; strings and images are a uvarint length and
// the bytes.
//
//	set    = origin seq hlc schema_version n_schema schema* n_changes change*
//	schema = version sql hlc origin
//	change = table op pk before after       (an absent image has length 0)

// ErrBadChangeSet is returned for bytes that do not hold a change set.
var ErrBadChangeSet = errors.New("malformed change set")

// AppendChangeSet appends the binary form of cs to dst, growing dst once.
func AppendChangeSet(dst []byte, cs *ChangeSet) []byte {
	dst = slices.Grow(dst, len(cs.Origin)+32+cs.Size())
	dst = appendString(dst, cs.Origin)
	dst = binary.AppendUvarint(dst, cs.Seq)
	dst = binary.AppendUvarint(dst, uint64(cs.HLC))
	dst = binary.AppendVarint(dst, cs.SchemaVersion)
	dst = binary.AppendUvarint(dst, uint64(len(cs.Schema)))
	for _, s := range cs.Schema {
		dst = binary.AppendVarint(dst, s.Version)
		dst = appendString(dst, s.SQL)
		dst = binary.AppendUvarint(dst, uint64(s.HLC))
		dst = appendString(dst, s.Origin)
	}
	dst = binary.AppendUvarint(dst, uint64(len(cs.Changes)))
	for _, ch := range cs.Changes {
		dst = appendString(dst, ch.Table)
		dst = appendString(dst, ch.Op)
		dst = appendBytes(dst, ch.PK)
		dst = appendBytes(dst, ch.Before)
		dst = appendBytes(dst, ch.After)
	}
	return dst
}

// AppendChangeSets appends a count and the binary form of every set.
func AppendChangeSets(dst []byte, sets []*ChangeSet) []byte {
	n := 10
	for _, cs := range sets {
		n += len(cs.Origin) + 32 + cs.Size()
	}
	dst = slices.Grow(dst, n)
	dst = binary.AppendUvarint(dst, uint64(len(sets)))
	for _, cs := range sets {
		dst = AppendChangeSet(dst, cs)
	}
	return dst
}

// DecodeChangeSets reads what AppendChangeSets wrote at the start of b and
// returns the sets and the bytes after them.
func DecodeChangeSets(b []byte) ([]*ChangeSet, []byte, error) {
	d := codecReader{b: b}
	n := d.count(minSetSize)
	sets := make([]*ChangeSet, 0, n)
	for range n {
		sets = append(sets, d.changeSet())
	}
	if d.err != nil {
		return nil, nil, d.err
	}
	return sets, d.b, nil
}

// DecodeChangeSet reads what AppendChangeSet wrote at the start of b and
// returns the set and the bytes after it.
func DecodeChangeSet(b []byte) (*ChangeSet, []byte, error) {
	d := codecReader{b: b}
	cs := d.changeSet()
	if d.err != nil {
		return nil, nil, d.err
	}
	return cs, d.b, nil
}

// AppendSetIDs appends a count and every set identity (origin, seq, hlc).
func AppendSetIDs(dst []byte, ids []SetID) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(ids)))
	for _, id := range ids {
		dst = appendString(dst, id.Origin)
		dst = binary.AppendUvarint(dst, id.Seq)
		dst = binary.AppendUvarint(dst, uint64(id.HLC))
	}
	return dst
}

// DecodeSetIDs reads what AppendSetIDs wrote at the start of b and returns
// the identities and the bytes after them.
func DecodeSetIDs(b []byte) ([]SetID, []byte, error) {
	d := codecReader{b: b}
	ids := make([]SetID, d.count(minIDSize))
	for i := range ids {
		ids[i] = SetID{Origin: d.string("origin"), Seq: d.uvarint("seq"), HLC: HLC(d.uvarint("hlc"))}
	}
	if d.err != nil {
		return nil, nil, d.err
	}
	return ids, d.b, nil
}

// AppendString appends a uvarint length and s.
func AppendString(dst []byte, s string) []byte { return appendString(dst, s) }

// DecodeString reads what AppendString wrote at the start of b and returns
// the string and the bytes after it.
func DecodeString(b []byte) (string, []byte, error) {
	d := codecReader{b: b}
	s := d.string("string")
	return s, d.b, d.err
}

// Smallest encodings, which bound the counts a decoder believes.
const (
	minIDSize     = 3
	minSetSize    = 6
	minSchemaSize = 4
	minChangeSize = 5
)

func appendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

func appendBytes(dst []byte, b []byte) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(b)))
	return append(dst, b...)
}

// codecReader reads the binary form; the first error sticks and later
// reads return zero values.
type codecReader struct {
	b   []byte
	err error
}

func (d *codecReader) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: bad %s", ErrBadChangeSet, what)
	}
	d.b = nil
}

func (d *codecReader) changeSet() *ChangeSet {
	cs := &ChangeSet{Origin: d.string("origin"), Seq: d.uvarint("seq"), HLC: HLC(d.uvarint("hlc")),
		SchemaVersion: d.varint("schema version")}
	if n := d.count(minSchemaSize); n > 0 {
		cs.Schema = make([]SchemaEntry, n)
		for i := range cs.Schema {
			cs.Schema[i] = SchemaEntry{Version: d.varint("schema version"), SQL: d.string("schema sql"),
				HLC: HLC(d.uvarint("schema hlc")), Origin: d.string("schema origin")}
		}
	}
	cs.Changes = make([]RowChange, d.count(minChangeSize))
	for i := range cs.Changes {
		cs.Changes[i] = RowChange{Table: d.string("table"), Op: d.string("op"),
			PK: d.image("pk"), Before: d.image("before"), After: d.image("after")}
	}
	if d.err != nil {
		return nil
	}
	return cs
}

func (d *codecReader) uvarint(what string) uint64 { return readVarint(d, what, binary.Uvarint) }

func (d *codecReader) varint(what string) int64 { return readVarint(d, what, binary.Varint) }

func readVarint[T uint64 | int64](d *codecReader, what string, read func([]byte) (T, int)) T {
	v, n := read(d.b)
	if n <= 0 {
		d.fail(what)
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count reads an element count, refusing one that the remaining bytes
// cannot hold (each element takes at least min bytes).
func (d *codecReader) count(min int) int {
	n := d.uvarint("count")
	if n > uint64(len(d.b)/min) {
		d.fail("count")
		return 0
	}
	return int(n)
}

func (d *codecReader) bytes(what string) []byte {
	n := d.uvarint(what)
	if n > uint64(len(d.b)) {
		d.fail(what)
		return nil
	}
	out := d.b[:n:n]
	d.b = d.b[n:]
	return out
}

func (d *codecReader) string(what string) string { return string(d.bytes(what)) }

// image reads a JSON value; absent (nil) when empty. It is copied, so the
// set does not pin the buffer it came in.
func (d *codecReader) image(what string) json.RawMessage {
	b := d.bytes(what)
	if len(b) == 0 {
		return nil
	}
	return append(json.RawMessage(nil), b...)
}
