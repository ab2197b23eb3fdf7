package mysqlwire

import (
	"encoding/hex"
	"math"
	"strings"
	"unicode/utf8"
)

// writeString writes s as a SQLite string literal. MySQL's escapes were
// already decoded by the parser, so s is the literal's value: quotes are
// doubled, and bytes SQLite text cannot carry or that the translator uses as
// markers (NUL, 0x01, 0x02) are spliced in with char(). Invalid UTF-8 is kept
// byte for byte as text cast from a blob.
func writeString(b *strings.Builder, s string) {
	if !utf8.ValidString(s) {
		b.WriteString("CAST(")
		writeBlob(b, []byte(s))
		b.WriteString(" AS TEXT)")
		return
	}
	if strings.IndexFunc(s, isMarkerRune) < 0 {
		writeQuoted(b, s)
		return
	}
	b.WriteString("(")
	first := true
	for s != "" {
		i := strings.IndexFunc(s, isMarkerRune)
		if !first {
			b.WriteString(" || ")
		}
		first = false
		if i != 0 {
			if i < 0 {
				i = len(s)
			}
			writeQuoted(b, s[:i])
			s = s[i:]
			continue
		}
		b.WriteString("char(")
		b.WriteByte('0' + s[0])
		b.WriteString(")")
		s = s[1:]
	}
	b.WriteString(")")
}

func isMarkerRune(r rune) bool { return r == 0 || r == 1 || r == 2 }

func writeQuoted(b *strings.Builder, s string) {
	b.WriteByte('\'')
	b.WriteString(strings.ReplaceAll(s, "'", "''"))
	b.WriteByte('\'')
}

// sqlString returns s as a SQLite string literal.
func sqlString(s string) string {
	var b strings.Builder
	writeString(&b, s)
	return b.String()
}

// writeBlob writes p as a SQLite blob literal.
func writeBlob(b *strings.Builder, p []byte) {
	b.WriteString("x'")
	b.WriteString(hex.EncodeToString(p))
	b.WriteString("'")
}

// quoteIdent quotes a SQLite identifier.
func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// sqlFloat renders a float literal SQLite reads back as the same REAL.
func sqlFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NULL"
	case math.IsInf(f, 1):
		return "9e999"
	case math.IsInf(f, -1):
		return "-9e999"
	}
	return formatFloat(f)
}
