package engine

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// decodeImage decodes a captured row image (a JSON object) into column values.
func decodeImage(raw json.RawMessage) (map[string]Value, error) {
	if out, ok := scanImage(raw); ok {
		return out, nil
	}
	return decodeImageJSON(raw)
}

// decodeImageJSON is decodeImage with encoding/json, for every image.
func decodeImageJSON(raw json.RawMessage) (map[string]Value, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, fmt.Errorf("decode row image: %w", err)
	}
	out := make(map[string]Value, len(obj))
	for k, v := range obj {
		val, err := decodeValue(v)
		if err != nil {
			return nil, fmt.Errorf("decode column %s: %w", k, err)
		}
		out[k] = val
	}
	return out, nil
}

// decodeKey decodes a captured primary key (a JSON array).
func decodeKey(raw json.RawMessage) ([]Value, error) {
	if out, ok := scanKey(raw); ok {
		return out, nil
	}
	return decodeKeyJSON(raw)
}

// decodeKeyJSON is decodeKey with encoding/json, for every key.
func decodeKeyJSON(raw json.RawMessage) ([]Value, error) {
	var arr []json.RawMessage
	if err := json.Unmarshal(raw, &arr); err != nil {
		return nil, fmt.Errorf("decode key: %w", err)
	}
	out := make([]Value, len(arr))
	for i, v := range arr {
		val, err := decodeValue(v)
		if err != nil {
			return nil, fmt.Errorf("decode key: %w", err)
		}
		out[i] = val
	}
	return out, nil
}

// decodeValue restores one SQLite value from its captured JSON form.
func decodeValue(raw json.RawMessage) (Value, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, errors.New("empty value")
	}
	switch raw[0] {
	case 'n':
		return nil, nil
	case 't':
		return int64(1), nil
	case 'f':
		return int64(0), nil
	case '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case '{':
		var b struct {
			B *string `json:"$b"`
		}
		if err := json.Unmarshal(raw, &b); err != nil || b.B == nil {
			return nil, fmt.Errorf("unknown value %s", raw)
		}
		return hex.DecodeString(*b.B)
	}
	return decodeNumber(string(raw))
}

func decodeNumber(s string) (Value, error) {
	if !strings.ContainsAny(s, ".eE") {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return i, nil
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	var ne *strconv.NumError
	if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
		return f, nil // ±Inf, as SQLite writes 9.0e+999
	}
	return f, err
}
