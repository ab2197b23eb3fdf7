package replication

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/warren-db/warren/engine"
)

func codecSets() []*engine.ChangeSet {
	return []*engine.ChangeSet{{Origin: "n1", Seq: 3, HLC: 99, SchemaVersion: 1,
		Changes: []engine.RowChange{{Table: "t", Op: "c", PK: json.RawMessage(`[1]`), After: json.RawMessage(`{"id":1}`)}}}}
}

// The write path's messages travel binary and decode to what was sent; the
// JSON form older nodes sent still decodes.
func TestMessages_BinaryAndJSON(t *testing.T) {
	sets := setsMsg{DB: "main", Sets: codecSets()}
	ids := idsMsg{DB: "main", IDs: []engine.SetID{{Origin: "n1", Seq: 3, HLC: 99}, {Origin: "n2", Seq: 1 << 40, HLC: 1}}}
	for _, c := range []struct {
		in  any
		out any
	}{{sets, &setsMsg{}}, {ids, &idsMsg{}}} {
		b := encode(c.in)
		if b[0] != binaryTag {
			t.Fatalf("%T is not sent binary: %q", c.in, b)
		}
		for _, form := range [][]byte{b, mustJSON(t, c.in)} {
			out := reflect.New(reflect.TypeOf(c.in))
			if err := decode(form, out.Interface()); err != nil {
				t.Fatalf("decode %T from %q: %v", c.in, form, err)
			}
			if !reflect.DeepEqual(out.Elem().Interface(), c.in) {
				t.Fatalf("%T changed on the way: %+v, want %+v", c.in, out.Elem().Interface(), c.in)
			}
		}
		if err := decode(b[:len(b)-1], c.out); err == nil {
			t.Fatalf("a truncated %T decoded", c.in)
		}
		if err := decode(append(b, 0), c.out); err == nil {
			t.Fatalf("a %T with trailing bytes decoded", c.in)
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
