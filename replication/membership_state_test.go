package replication

import (
	"testing"
	"time"
)

func TestDeadState_RoundTrip(t *testing.T) {
	raw, err := encodeMeta(Meta{NodeID: "n2", Slot: 2, Region: "ams"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	since := time.UnixMilli(1_700_000_000_123)
	in := []tableEntry{{Member: Member{Meta: Meta{NodeID: "n2"}, GossipAddr: "127.0.0.1:7946", Since: since}, rawMeta: raw}}
	out, err := decodeDeadState(encodeDeadState(in))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	if len(out) != 1 {
		t.Fatalf("decoded %d entries, want 1", len(out))
	}
	got := out[0]
	if got.NodeID != "n2" || got.Slot != 2 || got.Region != "ams" || got.State != MemberDead ||
		got.GossipAddr != "127.0.0.1:7946" || !got.Since.Equal(since) {
		t.Fatalf("decoded %+v", got.Member)
	}
}

func TestDeadState_DecodeRejects(t *testing.T) {
	for name, b := range map[string][]byte{
		"future format":     {stateFormat + 1, 0},
		"count beyond data": {stateFormat, 100},
		"truncated entry":   {stateFormat, 1, 2, 'n'},
		"empty node id":     {stateFormat, 1, 0, 0, 0, 0},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := decodeDeadState(b); err == nil {
				t.Fatal("decode accepted bad state")
			}
		})
	}
	if out, err := decodeDeadState(nil); err != nil || len(out) != 0 {
		t.Fatalf("empty state: %v, %v", out, err)
	}
}

func FuzzDecodeDeadState(f *testing.F) {
	raw, _ := encodeMeta(Meta{NodeID: "x"}, 0)
	f.Add(encodeDeadState([]tableEntry{{Member: Member{Meta: Meta{NodeID: "x"}}, rawMeta: raw}}))
	f.Add([]byte{stateFormat, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		out, err := decodeDeadState(b)
		if err != nil {
			return
		}
		for _, e := range out {
			if e.NodeID == "" || e.State != MemberDead {
				t.Fatalf("decoded an invalid entry %+v", e.Member)
			}
		}
	})
}
