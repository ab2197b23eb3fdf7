package sqlparse

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/rqlite/sql"
)

// parseStatement parses one statement with rqlite/sql. A panic inside the
// parser (it asserts on some malformed input) is returned as an error.
func parseStatement(text string) (stmt sql.Statement, err error) {
	defer func() {
		if r := recover(); r != nil {
			stmt, err = nil, fmt.Errorf("parse statement: parser panic: %v", r)
		}
	}()
	stmt, err = sql.NewParser(strings.NewReader(text)).ParseStatement()
	if err != nil {
		return nil, fmt.Errorf("parse statement: %w", err)
	}
	return stmt, nil
}

// offsets converts rqlite/sql positions, which count runes from the start of
// the parsed text, into byte offsets in the caller's SQL.
type offsets struct {
	base  int   // byte offset of the parsed text in the caller's SQL
	runes []int // byte offset of each rune in the parsed text; nil if ASCII
	size  int   // length of the parsed text in runes
}

// newOffsets prepares conversions for text found at byte offset base.
func newOffsets(text string, base int) offsets {
	o := offsets{base: base, size: len(text)}
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			o.runes = runeStarts(text)
			o.size = len(o.runes)
			break
		}
	}
	return o
}

// runeStarts returns the byte offset of every rune in text, decoding invalid
// bytes one at a time as strings.Reader.ReadRune does.
func runeStarts(text string) []int {
	starts := make([]int, 0, len(text))
	for i := range text {
		starts = append(starts, i)
	}
	return starts
}

// byteAt returns the byte offset of p in the caller's SQL, or -1 if p is not a
// position inside the parsed text.
func (o offsets) byteAt(p sql.Pos) int {
	if !p.IsValid() || p.Offset < 0 || p.Offset >= o.size {
		return -1
	}
	if o.runes == nil {
		return o.base + p.Offset
	}
	return o.base + o.runes[p.Offset]
}
