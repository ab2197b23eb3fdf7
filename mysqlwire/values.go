package mysqlwire

import (
	"encoding/binary"
	"math"
	"strconv"
	"strings"

	"github.com/go-mysql-org/go-mysql/mysql"
	"github.com/warren-db/warren/engine"
)

// temporal is a DATE, DATETIME or TIME value as stored text spells it.
// Zero dates ('0000-00-00') are valid, as in MySQL.
type temporal struct {
	neg                         bool // TIME only
	year, month, day            int
	hour, minute, second, micro int // hour may exceed 23 for TIME
}

// parseTemporal parses stored text as kind: 'YYYY-MM-DD', 'YYYY-MM-DD
// HH:MM:SS[.ffffff]' (also with T and a trailing Z), '[-]HHH:MM:SS[.ffffff]'.
func parseTemporal(s string, k valueKind) (temporal, bool) {
	var t temporal
	switch k {
	case kindTime:
		return parseTime(s)
	case kindDate:
		return t, parseDate(s, &t) && len(s) == 10
	}
	s = strings.TrimSuffix(s, "Z")
	if len(s) == 10 {
		return t, parseDate(s, &t)
	}
	if len(s) < 19 || (s[10] != ' ' && s[10] != 'T') || !parseDate(s[:10], &t) {
		return t, false
	}
	clock, ok := parseTime(s[11:])
	if !ok || clock.neg || clock.hour > 23 {
		return t, false
	}
	t.hour, t.minute, t.second, t.micro = clock.hour, clock.minute, clock.second, clock.micro
	return t, true
}

// parseDate parses YYYY-MM-DD at the start of s.
func parseDate(s string, t *temporal) bool {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	var ok1, ok2, ok3 bool
	t.year, ok1 = digits(s[0:4])
	t.month, ok2 = digits(s[5:7])
	t.day, ok3 = digits(s[8:10])
	return ok1 && ok2 && ok3 && t.month <= 12 && t.day <= 31
}

// parseTime parses [-]H+:MM:SS[.f{1,6}].
func parseTime(s string) (temporal, bool) {
	var t temporal
	if strings.HasPrefix(s, "-") {
		t.neg, s = true, s[1:]
	}
	hh, rest, ok := strings.Cut(s, ":")
	if !ok || len(rest) < 5 || rest[2] != ':' {
		return t, false
	}
	var ok1, ok2, ok3 bool
	t.hour, ok1 = digits(hh)
	t.minute, ok2 = digits(rest[0:2])
	t.second, ok3 = digits(rest[3:5])
	if !ok1 || !ok2 || !ok3 || t.minute > 59 || t.second > 59 || len(hh) > 3 {
		return t, false
	}
	if frac := rest[5:]; frac != "" {
		if frac[0] != '.' || len(frac) < 2 || len(frac) > 7 {
			return t, false
		}
		us, ok := digits(frac[1:])
		if !ok {
			return t, false
		}
		t.micro = us * int(math.Pow10(6-(len(frac)-1)))
	}
	return t, true
}

// digits parses a non-empty run of ASCII digits.
func digits(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// appendTemporalText appends t as MySQL prints kind, with fsp fraction digits.
func appendTemporalText(b []byte, t temporal, k valueKind, fsp byte) []byte {
	pad := func(b []byte, n, width int) []byte {
		s := strconv.Itoa(n)
		for i := len(s); i < width; i++ {
			b = append(b, '0')
		}
		return append(b, s...)
	}
	if k != kindTime {
		b = pad(b, t.year, 4)
		b = append(b, '-')
		b = pad(b, t.month, 2)
		b = append(b, '-')
		b = pad(b, t.day, 2)
		if k == kindDate {
			return b
		}
		b = append(b, ' ')
	} else if t.neg {
		b = append(b, '-')
	}
	b = pad(b, t.hour, 2)
	b = append(b, ':')
	b = pad(b, t.minute, 2)
	b = append(b, ':')
	b = pad(b, t.second, 2)
	if fsp > 0 || t.micro != 0 {
		n := int(fsp)
		if t.micro%int(math.Pow10(6-n)) != 0 {
			n = 6 // more precision stored than declared: send it all
		}
		b = append(b, '.')
		b = append(b, pad(nil, t.micro, 6)[:n]...)
	}
	return b
}

// appendTemporalBinary appends t in the binary protocol's DATE/DATETIME or
// TIME layout (length byte first).
func appendTemporalBinary(b []byte, t temporal, k valueKind) []byte {
	if k == kindTime {
		if t == (temporal{}) {
			return append(b, 0)
		}
		days, hours := t.hour/24, t.hour%24
		neg := byte(0)
		if t.neg {
			neg = 1
		}
		n := byte(8)
		if t.micro != 0 {
			n = 12
		}
		b = append(b, n, neg)
		b = binary.LittleEndian.AppendUint32(b, uint32(days))
		b = append(b, byte(hours), byte(t.minute), byte(t.second))
		if t.micro != 0 {
			b = binary.LittleEndian.AppendUint32(b, uint32(t.micro))
		}
		return b
	}
	switch {
	case t == (temporal{}):
		return append(b, 0)
	case t.micro != 0:
		b = append(b, 11)
	case t.hour != 0 || t.minute != 0 || t.second != 0:
		b = append(b, 7)
	default:
		b = append(b, 4)
	}
	n := b[len(b)-1]
	b = binary.LittleEndian.AppendUint16(b, uint16(t.year))
	b = append(b, byte(t.month), byte(t.day))
	if n >= 7 {
		b = append(b, byte(t.hour), byte(t.minute), byte(t.second))
	}
	if n == 11 {
		b = binary.LittleEndian.AppendUint32(b, uint32(t.micro))
	}
	return b
}

// appendDouble appends f as MySQL prints a DOUBLE: shortest round-trip
// digits, plain notation for ordinary magnitudes.
func appendDouble(b []byte, f float64) []byte {
	abs := math.Abs(f)
	if abs == 0 || (abs >= 1e-5 && abs < 1e15) {
		return strconv.AppendFloat(b, f, 'f', -1, 64)
	}
	start := len(b)
	b = strconv.AppendFloat(b, f, 'e', -1, 64)
	// MySQL writes 1e21 and 1e-7, not 1e+21 and 1e-07.
	s := string(b[start:])
	mant, exp, _ := strings.Cut(s, "e")
	sign := ""
	if strings.HasPrefix(exp, "-") {
		sign = "-"
	}
	exp = strings.TrimLeft(strings.TrimLeft(exp, "+-"), "0")
	return append(b[:start], mant+"e"+sign+exp...)
}

// appendDecimal appends a number as DECIMAL text with at least scale
// fraction digits. It never rounds: what SQLite stores is what is sent.
func appendDecimal(b []byte, v engine.Value, scale int) []byte {
	start := len(b)
	switch x := v.(type) {
	case int64:
		b = strconv.AppendInt(b, x, 10)
	case float64:
		b = strconv.AppendFloat(b, x, 'f', -1, 64)
	case string:
		return append(b, x...)
	default:
		return appendText(b, v)
	}
	frac := 0
	if i := strings.IndexByte(string(b[start:]), '.'); i >= 0 {
		frac = len(b) - start - i - 1
	} else if scale > 0 {
		b = append(b, '.')
	}
	for ; frac < scale; frac++ {
		b = append(b, '0')
	}
	return b
}

// appendText appends v as text: what a string column or the text protocol sends.
func appendText(b []byte, v engine.Value) []byte {
	switch x := v.(type) {
	case int64:
		return strconv.AppendInt(b, x, 10)
	case float64:
		return appendDouble(b, x)
	case string:
		return append(b, x...)
	case []byte:
		return append(b, x...)
	}
	return b
}

// appendValueText appends the text-protocol form of v in column c.
func appendValueText(b []byte, c *column, v engine.Value) []byte {
	switch c.kind {
	case kindDecimal:
		return appendDecimal(b, v, int(c.decimals))
	case kindDate, kindDateTime, kindTime:
		if t, ok := parseTemporal(textOf(v), c.kind); ok {
			return appendTemporalText(b, t, c.kind, c.decimals)
		}
	}
	return appendText(b, v)
}

// appendValueBinary appends the binary-protocol form of v in column c (a
// column that fit checked against its values).
func appendValueBinary(b []byte, c *column, v engine.Value) []byte {
	switch c.typ {
	case mysql.MYSQL_TYPE_TINY:
		return append(b, byte(intOf(v)))
	case mysql.MYSQL_TYPE_SHORT, mysql.MYSQL_TYPE_YEAR:
		return binary.LittleEndian.AppendUint16(b, uint16(intOf(v)))
	case mysql.MYSQL_TYPE_INT24, mysql.MYSQL_TYPE_LONG:
		return binary.LittleEndian.AppendUint32(b, uint32(intOf(v)))
	case mysql.MYSQL_TYPE_LONGLONG:
		return binary.LittleEndian.AppendUint64(b, uint64(intOf(v)))
	case mysql.MYSQL_TYPE_DOUBLE:
		return binary.LittleEndian.AppendUint64(b, math.Float64bits(floatOf(v)))
	case mysql.MYSQL_TYPE_DATE, mysql.MYSQL_TYPE_DATETIME, mysql.MYSQL_TYPE_TIMESTAMP, mysql.MYSQL_TYPE_TIME:
		t, _ := parseTemporal(textOf(v), c.kind)
		return appendTemporalBinary(b, t, c.kind)
	}
	n := len(b)
	b = appendValueText(b, c, v)
	return insertLenenc(b, n)
}

// insertLenenc turns the bytes after n into a length-encoded string.
func insertLenenc(b []byte, n int) []byte {
	size := len(b) - n
	if size < 251 {
		b = append(b, 0)
		copy(b[n+1:], b[n:len(b)-1])
		b[n] = byte(size)
		return b
	}
	prefix := mysql.PutLengthEncodedInt(uint64(size))
	b = append(b, prefix...)
	copy(b[n+len(prefix):], b[n:n+size])
	copy(b[n:], prefix)
	return b
}

func intOf(v engine.Value) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case float64:
		return int64(x)
	}
	return 0
}

func floatOf(v engine.Value) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	}
	return 0
}

func textOf(v engine.Value) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	}
	return ""
}
