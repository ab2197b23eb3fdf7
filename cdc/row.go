package cdc

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// pair is one member of a JSON object, in document order.
type pair struct {
	key   string
	value json.RawMessage
}

// objectPairs lists the members of a JSON object (nil if raw is not one).
func objectPairs(raw json.RawMessage) []pair {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	var out []pair
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil
		}
		out = append(out, pair{key: t.(string), value: v})
	}
	return out
}

// renderRow turns a captured row image into the event's row: BLOBs, which
// capture stores as {"$b": hex}, become base64 strings as in Debezium's
// JSON converter; everything else is kept byte for byte.
func renderRow(raw json.RawMessage) (json.RawMessage, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	if !bytes.Contains(raw, []byte(`"$b"`)) {
		return raw, nil
	}
	pairs := objectPairs(raw)
	if pairs == nil {
		return nil, fmt.Errorf("render row: not a JSON object: %.60q", raw)
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(p.key)
		b.Write(k)
		b.WriteByte(':')
		v, err := renderValue(p.value)
		if err != nil {
			return nil, fmt.Errorf("render column %s: %w", p.key, err)
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// renderValue renders one captured value.
func renderValue(v json.RawMessage) (json.RawMessage, error) {
	if len(v) == 0 || v[0] != '{' {
		return v, nil
	}
	var blob struct {
		Hex *string `json:"$b"`
	}
	if err := json.Unmarshal(v, &blob); err != nil || blob.Hex == nil {
		return nil, fmt.Errorf("unexpected object value %.60q", v)
	}
	data, err := hex.DecodeString(*blob.Hex)
	if err != nil {
		return nil, fmt.Errorf("decode blob: %w", err)
	}
	return json.Marshal(base64.StdEncoding.EncodeToString(data))
}

// keyObject names the values of a captured key (a JSON array) with the
// table's key columns.
func keyObject(pk json.RawMessage, columns []string) (json.RawMessage, error) {
	var values []json.RawMessage
	if err := json.Unmarshal(pk, &values); err != nil {
		return nil, fmt.Errorf("decode key: %w", err)
	}
	if len(columns) != len(values) {
		columns = make([]string, len(values)) // the table changed since: name them by position
		for i := range columns {
			columns[i] = fmt.Sprintf("key%d", i+1)
		}
	}
	return jsonObject(columns, len(values), func(i int) ([]byte, error) {
		r, err := renderValue(values[i])
		if err != nil {
			return nil, fmt.Errorf("render key: %w", err)
		}
		return r, nil
	})
}

// jsonObject writes {"names[0]": value(0), ...} for the first n names.
func jsonObject(names []string, n int, value func(i int) ([]byte, error)) (json.RawMessage, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(names[i])
		b.Write(k)
		b.WriteByte(':')
		v, err := value(i)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
