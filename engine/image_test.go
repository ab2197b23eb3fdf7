package engine

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
)

func TestDecodeValue(t *testing.T) {
	cases := []struct {
		in   string
		want Value
	}{
		{`null`, nil},
		{`42`, int64(42)},
		{`-9223372036854775808`, int64(math.MinInt64)},
		{`1.0`, 1.0},
		{`0.33333333333333331`, 1.0 / 3},
		{`-2.5e-300`, -2.5e-300},
		{`9.0e+999`, math.Inf(1)},
		{`"2024-01-01 10:00"`, "2024-01-01 10:00"},
		{`{"$b":"00FF"}`, []byte{0, 0xff}},
	}
	for _, c := range cases {
		got, err := decodeValue(json.RawMessage(c.in))
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		if b, ok := c.want.([]byte); ok {
			if !bytes.Equal(got.([]byte), b) {
				t.Fatalf("%s: got %v", c.in, got)
			}
			continue
		}
		if got != c.want {
			t.Fatalf("%s: got %#v want %#v", c.in, got, c.want)
		}
	}
}

// TestCapture_ValuesSurviveReplication: every SQLite value type, captured by
// the triggers and applied on another node, arrives exactly.
func TestCapture_ValuesSurviveReplication(t *testing.T) {
	a, b := openNode(t, "a"), openNode(t, "b")
	ddl := "CREATE TABLE v(id INTEGER PRIMARY KEY, x)"
	mustExec(t, a, ddl)
	mustExec(t, b, ddl)
	vals := []Value{nil, int64(math.MaxInt64), int64(math.MinInt64), 1.0 / 3, 1e300, -0.0, "text", "", "2024-01-01", []byte{}, []byte{0, 1, 2}, "a\x00b"}
	for i, v := range vals {
		if _, err := a.Exec(t.Context(), "main", []Statement{{SQL: "INSERT INTO v(id, x) VALUES (?, ?)", Params: Params{Positional: []Value{int64(i + 1), v}}}}, ExecOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	applyAll(t, b, ownSets(t, a))
	want := mustQuery(t, a, "SELECT id, x, typeof(x) FROM v ORDER BY id")
	got := mustQuery(t, b, "SELECT id, x, typeof(x) FROM v ORDER BY id")
	if len(got) != len(vals) {
		t.Fatalf("rows %v", got)
	}
	for i := range want {
		if !valuesEqual(want[i], got[i]) {
			t.Errorf("row %d: got %#v want %#v", i, got[i], want[i])
		}
	}
}

func valuesEqual(a, b []Value) bool {
	for i := range a {
		ab, aok := a[i].([]byte)
		bb, bok := b[i].([]byte)
		if aok || bok {
			if !aok || !bok || !bytes.Equal(ab, bb) {
				return false
			}
			continue
		}
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// FuzzDecodeImage: a change set's row image from a peer must never panic
// the decoder, whatever the bytes.
func FuzzDecodeImage(f *testing.F) {
	for _, s := range []string{`{"a":1,"b":"x","c":{"$b":"00"},"d":null,"e":1.5}`, `{}`, `[1,2]`, `{"a":{"$b":"zz"}}`, `{"a":9.0e+999}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := decodeImage(data)
		if err == nil && img == nil {
			t.Fatal("nil image without error")
		}
		decodeKey(data)
	})
}
