package engine

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
)

var imageSeeds = []string{
	`{"id":1,"v":"row 1","n":null,"f":-2.5e-300,"inf":9.0e+999,"b":{"$b":"00ff"}}`,
	`{ "a" : "é" , "b" : [1] }`, `{"a":"x\"y"}`, `{"a":"\u00e9"}`, `{"a":"\xff"}`, `{"a":01}`, `{"a":1.}`,
	`{"a":-}`, `{"a":1e}`, `{"a":tru}`, `{"a":true,"a":false}`, `{"$b":"zz"}`, `{"b":{"$B":"00"}}`,
	`{"b":{"$b":"0"}}`, `{"b":{"$b":"00","x":1}}`, `{}`, `{} x`, `{"a":1,}`, "{\"a\":\"\t\"}", `[1,"k",null]`,
	`[]`, `[1,]`, `[{"$b":"01"}]`, `[9223372036854775808]`, `[-0]`, `[0.5e+3]`, ``, `"x"`,
}

// FuzzScanImage: what the scanner accepts, it decodes exactly as
// encoding/json does.
func FuzzScanImage(f *testing.F) {
	for _, s := range imageSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if got, ok := scanImage(raw); ok {
			want, err := decodeImageJSON(raw)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Fatalf("image %q: scanner %#v, encoding/json %#v (%v)", raw, got, want, err)
			}
		}
		if got, ok := scanKey(raw); ok {
			want, err := decodeKeyJSON(raw)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Fatalf("key %q: scanner %#v, encoding/json %#v (%v)", raw, got, want, err)
			}
		}
	})
}

// TestScanImage_HandlesWhatCaptureWrites: the images the capture triggers
// write take the fast path.
func TestScanImage_HandlesWhatCaptureWrites(t *testing.T) {
	db := openNode(t, "a")
	mustExec(t, db, "CREATE TABLE v(id INTEGER PRIMARY KEY, x)")
	vals := []Value{nil, int64(math.MinInt64), 1.0 / 3, 1e300, "text", "", "é ü", []byte{}, []byte{0, 1, 2}, "a\x00b"}
	for i, v := range vals {
		if _, err := db.Exec(t.Context(), "main", []Statement{{SQL: "INSERT INTO v(id, x) VALUES (?, ?)", Params: Params{Positional: []Value{int64(i + 1), v}}}}, ExecOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	scanned := 0
	for _, cs := range ownSets(t, db) {
		for _, ch := range cs.Changes {
			got, ok := scanImage(ch.After)
			if !ok {
				continue
			}
			want, err := decodeImageJSON(ch.After)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Fatalf("image %s: scanner %#v, encoding/json %#v", ch.After, got, want)
			}
			if _, ok := scanKey(ch.PK); !ok {
				t.Fatalf("key %s took the slow path", ch.PK)
			}
			scanned++
		}
	}
	if scanned < len(vals)-1 { // "a\x00b" is captured with an escape
		t.Fatalf("only %d of %d images took the fast path", scanned, len(vals))
	}
}

func BenchmarkDecodeImage(b *testing.B) {
	raw := json.RawMessage(`{"id":12345,"k":"key-00012345","v":"value 12345 some text","n":42,"f":0.5}`)
	for _, c := range []struct {
		name string
		fn   func(json.RawMessage) (map[string]Value, error)
	}{{"scanner", decodeImage}, {"encoding-json", decodeImageJSON}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.fn(raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
