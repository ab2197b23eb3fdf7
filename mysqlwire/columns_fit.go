package mysqlwire

import (
	"math"
	"unicode/utf8"

	"github.com/go-mysql-org/go-mysql/mysql"
	"github.com/warren-db/warren/engine"
)

// valueClass sums up the values of one column.
type valueClass struct {
	ints, floats, texts, blobs int
	min, max                   int64
	badTemporal                bool // a text value the temporal kind cannot parse
	nonNumeric                 bool // a text value that is not a number
}

// classify looks at column i of rows with the temporal or decimal kind k in mind.
func classify(rows [][]engine.Value, i int, k valueKind) valueClass {
	vc := valueClass{min: math.MaxInt64, max: math.MinInt64}
	for _, row := range rows {
		switch v := row[i].(type) {
		case int64:
			vc.ints++
			vc.min, vc.max = min(vc.min, v), max(vc.max, v)
		case float64:
			vc.floats++
		case string:
			vc.texts++
			vc.check(v, k)
		case []byte:
			vc.blobs++
			vc.check(string(v), k)
		}
	}
	return vc
}

// check notes whether text s fits kind k.
func (vc *valueClass) check(s string, k valueKind) {
	switch k {
	case kindDate, kindDateTime, kindTime:
		if _, ok := parseTemporal(s, k); !ok {
			vc.badTemporal = true
		}
	case kindDecimal, kindInt, kindFloat:
		if !isNumeric(s) {
			vc.nonNumeric = true
		}
	}
}

// fit returns c adjusted to the values in column i: a client decodes values
// by the column type, so a value the type cannot carry turns the column
// into a string column (or a wider number) for this result.
func (c column) fit(rows [][]engine.Value, i int) column {
	vc := classify(rows, i, c.kind)
	switch c.kind {
	case kindNull:
		return c.infer(vc)
	case kindInt:
		return c.fitInt(vc)
	case kindFloat:
		if vc.texts+vc.blobs > 0 {
			return c.asText(vc)
		}
	case kindDecimal:
		if vc.nonNumeric || vc.blobs > 0 {
			return c.asText(vc)
		}
	case kindDate, kindDateTime, kindTime:
		if vc.badTemporal || vc.ints+vc.floats > 0 {
			return c.asText(vc)
		}
	}
	return c
}

// fitInt keeps an integer column when its values fit the declared width.
func (c column) fitInt(vc valueClass) column {
	switch {
	case vc.texts+vc.blobs > 0:
		return c.asText(vc)
	case vc.floats > 0:
		c.typ, c.kind, c.length, c.decimals, c.flags = mysql.MYSQL_TYPE_DOUBLE, kindFloat, 22, 31, c.flags&^mysql.UNSIGNED_FLAG
		return c
	case vc.ints == 0:
		return c
	}
	if vc.min < 0 {
		c.flags &^= mysql.UNSIGNED_FLAG
	}
	lo, hi := intRange(c.typ, c.flags&mysql.UNSIGNED_FLAG != 0)
	if vc.min < lo || vc.max > hi {
		c.typ, c.length = mysql.MYSQL_TYPE_LONGLONG, 20
	}
	return c
}

// intRange is what an integer type carries in the binary protocol.
func intRange(typ byte, unsigned bool) (int64, int64) {
	bits := map[byte]uint{mysql.MYSQL_TYPE_TINY: 8, mysql.MYSQL_TYPE_SHORT: 16, mysql.MYSQL_TYPE_YEAR: 16,
		mysql.MYSQL_TYPE_INT24: 32, mysql.MYSQL_TYPE_LONG: 32}[typ]
	switch {
	case bits == 0 && unsigned:
		return 0, math.MaxInt64
	case bits == 0:
		return math.MinInt64, math.MaxInt64
	case unsigned:
		return 0, 1<<bits - 1
	}
	return -1 << (bits - 1), 1<<(bits-1) - 1
}

// infer types a column without a declared type from its values.
func (c column) infer(vc valueClass) column {
	switch {
	case vc.texts+vc.blobs > 0:
		return c.asText(vc)
	case vc.floats > 0:
		c.typ, c.kind, c.length, c.decimals = mysql.MYSQL_TYPE_DOUBLE, kindFloat, 22, 31
	case vc.ints > 0:
		c.typ, c.kind, c.length = mysql.MYSQL_TYPE_LONGLONG, kindInt, 21
	default:
		c.typ, c.kind, c.length = mysql.MYSQL_TYPE_NULL, kindNull, 0
	}
	return c
}

// asText makes c a string column: binary when a value is a blob.
func (c column) asText(vc valueClass) column {
	c.flags &^= mysql.UNSIGNED_FLAG | mysql.ZEROFILL_FLAG
	c.decimals = 0
	if vc.blobs > 0 {
		c.typ, c.kind, c.charset, c.length = mysql.MYSQL_TYPE_BLOB, kindBytes, charsetBinary, 65535
		c.flags |= mysql.BINARY_FLAG | mysql.BLOB_FLAG
		return c
	}
	if c.kind != kindText {
		c.typ, c.kind, c.charset, c.length = mysql.MYSQL_TYPE_VAR_STRING, kindText, charsetText, 1020
	}
	return c
}

// isNumeric reports whether s is a decimal number (what a DECIMAL column may
// hold as text).
func isNumeric(s string) bool {
	if s == "" || !utf8.ValidString(s) {
		return false
	}
	i, digits := 0, 0
	if s[0] == '+' || s[0] == '-' {
		i++
	}
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		digits++
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			digits++
		}
	}
	if digits > 0 && i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return digits > 0 && i == len(s)
}
