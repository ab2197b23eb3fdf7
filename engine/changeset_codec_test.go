package engine

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

func codecSamples() []*ChangeSet {
	return []*ChangeSet{
		{Origin: "n1", Seq: 1, HLC: makeHLC(1_700_000_000_000, 3), SchemaVersion: 2,
			Changes: []RowChange{
				{Table: "t", Op: "c", PK: json.RawMessage(`[1]`), After: json.RawMessage(`{"id":1,"v":"a"}`)},
				{Table: "t", Op: "u", PK: json.RawMessage(`[1]`), Before: json.RawMessage(`{"id":1,"v":"a"}`), After: json.RawMessage(`{"id":1,"v":{"$b":"00ff"}}`)},
				{Table: "t", Op: "d", PK: json.RawMessage(`[1]`), Before: json.RawMessage(`{"id":1,"v":null}`)},
			}},
		{Origin: "node-with-a-long-name", Seq: 1 << 40, HLC: HLC(^uint64(0)), SchemaVersion: -1,
			Schema:  []SchemaEntry{{Version: 7, SQL: "CREATE TABLE ü(id INTEGER PRIMARY KEY)", HLC: 9, Origin: "n2"}},
			Changes: []RowChange{}},
		{Origin: "", Changes: []RowChange{}},
	}
}

func TestChangeSetCodec_RoundTrip(t *testing.T) {
	in := codecSamples()
	b := AppendChangeSets([]byte("prefix"), in)[len("prefix"):]
	b = append(b, "tail"...)
	out, rest, err := DecodeChangeSets(b)
	if err != nil {
		t.Fatal(err)
	}
	if string(rest) != "tail" {
		t.Fatalf("rest = %q, want the bytes after the sets", rest)
	}
	if !reflect.DeepEqual(out, in) {
		t.Fatalf("round trip changed the sets:\n got %+v\nwant %+v", out, in)
	}
	one, rest, err := DecodeChangeSet(AppendChangeSet(nil, in[0]))
	if err != nil || len(rest) != 0 || !reflect.DeepEqual(one, in[0]) {
		t.Fatalf("single set: %+v, rest %q, %v", one, rest, err)
	}
}

func TestChangeSetCodec_RefusesDamage(t *testing.T) {
	b := AppendChangeSets(nil, codecSamples())
	for cut := range len(b) {
		if _, _, err := DecodeChangeSets(b[:cut]); !errors.Is(err, ErrBadChangeSet) {
			t.Fatalf("a set cut at byte %d of %d decoded (err %v)", cut, len(b), err)
		}
	}
	huge := []byte{0xff, 0xff, 0xff, 0xff, 0x0f} // a count of 4 billion sets in 5 bytes
	if _, _, err := DecodeChangeSets(huge); !errors.Is(err, ErrBadChangeSet) {
		t.Fatalf("an impossible count decoded: %v", err)
	}
}

// FuzzDecodeChangeSets: bytes from a peer or a damaged staging log never
// panic the decoder, and what decodes encodes back to the same sets.
func FuzzDecodeChangeSets(f *testing.F) {
	f.Add(AppendChangeSets(nil, codecSamples()))
	f.Add(AppendChangeSets(nil, nil))
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		sets, _, err := DecodeChangeSets(data)
		if err != nil {
			return
		}
		again, rest, err := DecodeChangeSets(AppendChangeSets(nil, sets))
		if err != nil || len(rest) != 0 || !reflect.DeepEqual(again, sets) {
			t.Fatalf("re-encoding changed the sets: %+v -> %+v (%v)", sets, again, err)
		}
	})
}

func BenchmarkChangeSetCodec(b *testing.B) {
	sets := []*ChangeSet{codecSamples()[0]}
	b.Run("binary", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := DecodeChangeSets(AppendChangeSets(nil, sets)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json", func(b *testing.B) {
		for b.Loop() {
			raw, _ := json.Marshal(sets)
			var out []*ChangeSet
			if err := json.Unmarshal(raw, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
}
