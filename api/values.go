package api

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/warren-db/warren/engine"
)

// maxSafeInteger is the largest integer a float64 (a JavaScript number) holds
// exactly, together with all integers below it: 2^53−1.
const maxSafeInteger = 1<<53 - 1

// decodeParams turns the JSON "params" of a statement (decoded with
// UseNumber) into engine params. field names the JSON location in errors.
func decodeParams(raw any, field string) (engine.Params, error) {
	switch p := raw.(type) {
	case nil:
		return engine.Params{}, nil
	case []any:
		vals := make([]engine.Value, len(p))
		for i, v := range p {
			val, err := decodeValue(v, field+"["+strconv.Itoa(i)+"]")
			if err != nil {
				return engine.Params{}, err
			}
			vals[i] = val
		}
		return engine.Params{Positional: vals}, nil
	case map[string]any:
		return decodeNamed(p, field)
	}
	return engine.Params{}, engine.Errorf(engine.CodeInvalid, "field %q must be an array or an object", field)
}

// decodeNamed decodes named params; keys lose their ':', '@' or '$' prefix.
func decodeNamed(p map[string]any, field string) (engine.Params, error) {
	named := make(map[string]engine.Value, len(p))
	for k, v := range p {
		name := k
		if name != "" && strings.IndexByte(":@$", name[0]) >= 0 {
			name = name[1:]
		}
		if name == "" {
			return engine.Params{}, engine.Errorf(engine.CodeInvalid, "field %q has a parameter with an empty name", field)
		}
		if _, dup := named[name]; dup {
			return engine.Params{}, engine.Errorf(engine.CodeInvalid, "field %q names parameter %q twice", field, name)
		}
		val, err := decodeValue(v, field+"."+k)
		if err != nil {
			return engine.Params{}, err
		}
		named[name] = val
	}
	return engine.Params{Named: named}, nil
}

// decodeValue turns one JSON parameter into an SQLite value.
func decodeValue(v any, field string) (engine.Value, error) {
	switch x := v.(type) {
	case nil, string:
		return x, nil
	case bool:
		if x {
			return int64(1), nil
		}
		return int64(0), nil
	case json.Number:
		return decodeNumber(x, field)
	case map[string]any:
		return decodeBlob(x, field)
	}
	return nil, engine.Errorf(engine.CodeInvalid,
		`field %q must be null, a number, a string, a boolean or {"base64": "..."}`, field)
}

// decodeNumber reads an integer literal as int64 and anything else as float64.
func decodeNumber(n json.Number, field string) (engine.Value, error) {
	s := string(n)
	if !strings.ContainsAny(s, ".eE") {
		i, err := strconv.ParseInt(s, 10, 64)
		if errors.Is(err, strconv.ErrRange) {
			return nil, engine.Errorf(engine.CodeInvalid,
				"field %q: integer %s does not fit in 64 bits (send it as a string or a float)", field, s)
		}
		return i, err
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, engine.Errorf(engine.CodeInvalid, "field %q: number %s is out of range", field, s)
	}
	return f, nil
}

// decodeBlob reads {"base64": "..."}.
func decodeBlob(m map[string]any, field string) (engine.Value, error) {
	s, ok := m["base64"].(string)
	if !ok || len(m) != 1 {
		return nil, engine.Errorf(engine.CodeInvalid, `field %q: an object parameter must be {"base64": "..."}`, field)
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, engine.Errorf(engine.CodeInvalid, "field %q: invalid base64: %v", field, err)
	}
	return b, nil
}

// appendRowsFields appends "columns":[...],"types":[...],"rows":[[...]] to b.
func appendRowsFields(b []byte, rows *engine.Rows, int64AsString bool) []byte {
	b = appendColumnsFields(b, rows.Columns)
	b = append(b, `,"rows":`...)
	return appendValueRows(b, rows.Rows, int64AsString)
}

// appendColumnsFields appends "columns":[...],"types":[...] to b.
func appendColumnsFields(b []byte, cols []engine.Column) []byte {
	b = append(b, `"columns":[`...)
	for i, c := range cols {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, c.Name)
	}
	b = append(b, `],"types":[`...)
	for i, c := range cols {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, c.DeclType)
	}
	return append(b, ']')
}

// appendValueRows appends rows as a JSON array of arrays.
func appendValueRows(b []byte, rows [][]engine.Value, int64AsString bool) []byte {
	b = append(b, '[')
	for i, row := range rows {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendValueRow(b, row, int64AsString)
	}
	return append(b, ']')
}

// appendValueRow appends one row as a JSON array.
func appendValueRow(b []byte, row []engine.Value, int64AsString bool) []byte {
	b = append(b, '[')
	for i, v := range row {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendValue(b, v, int64AsString)
	}
	return append(b, ']')
}

// appendValue appends one SQLite value as JSON.
func appendValue(b []byte, v engine.Value, int64AsString bool) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case int64:
		return appendInt(b, x, int64AsString)
	case float64:
		return appendFloat(b, x)
	case string:
		return appendString(b, x)
	case []byte:
		b = append(b, `{"base64":"`...)
		b = base64.StdEncoding.AppendEncode(b, x)
		return append(b, `"}`...)
	case int:
		return appendInt(b, int64(x), int64AsString)
	case bool:
		return strconv.AppendBool(b, x)
	}
	j, err := json.Marshal(v)
	if err != nil {
		return append(b, "null"...)
	}
	return append(b, j...)
}

// appendInt appends i as a number, or as a string when asked and outside
// what a JavaScript number holds exactly.
func appendInt(b []byte, i int64, int64AsString bool) []byte {
	if int64AsString && (i > maxSafeInteger || i < -maxSafeInteger) {
		b = append(b, '"')
		b = strconv.AppendInt(b, i, 10)
		return append(b, '"')
	}
	return strconv.AppendInt(b, i, 10)
}

// appendFloat appends f so that it reads back as a float: it always carries a
// fraction or an exponent. NaN and infinities, which JSON lacks, are null.
func appendFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	start := len(b)
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	for _, c := range b[start:] {
		if c == '.' || c == 'e' {
			return b
		}
	}
	return append(b, ".0"...)
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string. Like encoding/json it replaces
// invalid UTF-8 with U+FFFD and escapes U+2028 and U+2029; unlike it, it
// leaves <, > and & alone (nothing here is embedded in HTML).
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			b = appendEscapedByte(b, c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, `\u202`...)
			b = append(b, hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendEscapedByte appends the JSON escape of an ASCII byte.
func appendEscapedByte(b []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(b, '\\', c)
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}
