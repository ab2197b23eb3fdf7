package cdc

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/warren-db/warren/engine"
)

// decodeKey reads a captured primary key (a JSON array, BLOBs as
// {"$b": hex}, REALs with a fraction or an exponent) back into the values
// SQLite holds.
func decodeKey(pk json.RawMessage) ([]engine.Value, error) {
	var raw []json.RawMessage
	if err := json.Unmarshal(pk, &raw); err != nil {
		return nil, fmt.Errorf("decode key: %w", err)
	}
	out := make([]engine.Value, len(raw))
	for i, r := range raw {
		v, err := decodeCaptured(r)
		if err != nil {
			return nil, fmt.Errorf("decode key: %w", err)
		}
		out[i] = v
	}
	return out, nil
}

// decodeCaptured reads one captured value.
func decodeCaptured(r json.RawMessage) (engine.Value, error) {
	r = bytes.TrimSpace(r)
	switch {
	case len(r) == 0:
		return nil, fmt.Errorf("empty value")
	case string(r) == "null":
		return nil, nil
	case r[0] == '"':
		var s string
		err := json.Unmarshal(r, &s)
		return s, err
	case r[0] == '{':
		var blob struct {
			Hex *string `json:"$b"`
		}
		if err := json.Unmarshal(r, &blob); err != nil || blob.Hex == nil {
			return nil, fmt.Errorf("unexpected object value %.60q", r)
		}
		return hex.DecodeString(*blob.Hex)
	}
	s := string(r)
	if !strings.ContainsAny(s, ".eE") {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return i, nil
		}
	}
	return strconv.ParseFloat(s, 64)
}

// keyString encodes values as a map key: equal values (same type and
// content) give equal strings, different ones different strings.
func keyString(values []engine.Value) string {
	var b []byte
	for _, v := range values {
		b = appendKeyValue(b, v)
	}
	return string(b)
}

// appendKeyValue appends one tagged value.
func appendKeyValue(b []byte, v engine.Value) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, 'n')
	case int64:
		return binary.BigEndian.AppendUint64(append(b, 'i'), uint64(x))
	case float64:
		return binary.BigEndian.AppendUint64(append(b, 'f'), math.Float64bits(x))
	case string:
		b = binary.AppendUvarint(append(b, 's'), uint64(len(x)))
		return append(b, x...)
	case []byte:
		b = binary.AppendUvarint(append(b, 'b'), uint64(len(x)))
		return append(b, x...)
	}
	s := fmt.Sprint(v) // engine values are the five above; anything else by its text
	b = binary.AppendUvarint(append(b, '?'), uint64(len(s)))
	return append(b, s...)
}

// sameRow reports whether two rows hold the same values, types included.
func sameRow(a, b []engine.Value) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !sameValue(a[i], b[i]) {
			return false
		}
	}
	return true
}

func sameValue(a, b engine.Value) bool {
	switch x := a.(type) {
	case []byte:
		y, ok := b.([]byte)
		return ok && bytes.Equal(x, y)
	case float64:
		y, ok := b.(float64)
		return ok && math.Float64bits(x) == math.Float64bits(y)
	}
	return a == b
}
