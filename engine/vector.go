package engine

import (
	"sort"
	"strconv"
	"strings"
)

// Vector maps an origin node to the highest contiguous sequence of its
// change sets that a database has applied.
type Vector map[string]uint64

// Covers reports whether v has applied everything o has.
func (v Vector) Covers(o Vector) bool {
	for origin, seq := range o {
		if v[origin] < seq {
			return false
		}
	}
	return true
}

// Clone returns a copy of v.
func (v Vector) Clone() Vector {
	c := make(Vector, len(v))
	for k, s := range v {
		c[k] = s
	}
	return c
}

// Bookmark encodes v as a bookmark ("origin:seq,origin:seq", sorted).
func (v Vector) Bookmark() Bookmark {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(k)
		b.WriteByte(':')
		b.WriteString(strconv.FormatUint(v[k], 10))
	}
	return Bookmark(b.String())
}

// Vector decodes a bookmark. "" decodes to an empty vector.
func (b Bookmark) Vector() (Vector, error) {
	v := Vector{}
	if b == "" {
		return v, nil
	}
	for _, part := range strings.Split(string(b), ",") {
		origin, seqText, ok := strings.Cut(part, ":")
		seq, err := strconv.ParseUint(seqText, 10, 64)
		if !ok || err != nil || origin == "" {
			return nil, Errorf(CodeInvalid, "malformed bookmark %q", string(b))
		}
		v[origin] = max(v[origin], seq)
	}
	return v, nil
}

// Bookmark names a point in a database's history: a read that carries it
// waits until this node has applied everything up to it. "" is no bookmark.
type Bookmark string
