package sqlparse

import (
	"strconv"
	"strings"
)

// splicer copies a statement while inserting and replacing text at byte
// offsets, which must be visited in increasing order.
type splicer struct {
	src  string
	b    strings.Builder
	last int // offset in src up to which text has been copied or skipped
}

// newSplicer starts a copy of src with room for extra added bytes.
func newSplicer(src string, extra int) *splicer {
	s := &splicer{src: src}
	s.b.Grow(len(src) + extra)
	return s
}

// copyTo copies src up to offset at.
func (s *splicer) copyTo(at int) {
	s.b.WriteString(s.src[s.last:at])
	s.last = at
}

// skipTo drops src up to offset end, which must not be before the copy point.
func (s *splicer) skipTo(end int) { s.last = end }

// write appends text that is not in src.
func (s *splicer) write(text string) { s.b.WriteString(text) }

// writeInt appends the decimal form of v.
func (s *splicer) writeInt(v int64) {
	var buf [20]byte
	s.b.Write(strconv.AppendInt(buf[:0], v, 10))
}

// String copies the rest of src and returns the result.
func (s *splicer) String() string {
	s.copyTo(len(s.src))
	return s.b.String()
}

// quoteIdent quotes name as an SQLite identifier.
func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
