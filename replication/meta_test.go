package replication

import (
	"errors"
	"strings"
	"testing"
)

func TestMeta_EncodeDecode(t *testing.T) {
	tests := []struct {
		name  string
		meta  Meta
		flags uint64
	}{
		{"full", Meta{NodeID: "n1", Slot: 7, Region: "ams", Role: RoleReplica, QUICAddr: "[fdaa::1]:4433",
			HTTPAddr: "10.0.0.1:8080", MySQLAddr: "10.0.0.1:3306", Version: "v1.2.3"}, 0},
		{"unclaimed slot", Meta{NodeID: "n2", Role: RoleVoter}, 0},
		{"leaving", Meta{NodeID: "n3", Slot: 1 << 20, Role: RoleVoter}, metaFlagLeaving},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := encodeMeta(tt.meta, tt.flags)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			got, flags, err := decodeMetaFlags(tt.meta.NodeID, b)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if got != tt.meta || flags != tt.flags {
				t.Fatalf("round trip gave %+v flags %d, want %+v flags %d", got, flags, tt.meta, tt.flags)
			}
		})
	}
}

func TestMeta_EmptyRoleIsVoter(t *testing.T) {
	b, err := encodeMeta(Meta{NodeID: "n"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeMeta("n", b)
	if err != nil || got.Role != RoleVoter {
		t.Fatalf("decoded %+v, %v; want role voter", got, err)
	}
}

func TestMeta_TooLarge(t *testing.T) {
	meta := Meta{NodeID: "n", Version: strings.Repeat("x", MetaMaxSize)}
	if _, err := encodeMeta(meta, 0); !errors.Is(err, ErrMetaTooLarge) || !strings.Contains(err.Error(), "512") {
		t.Fatalf("encode oversize: %v, want ErrMetaTooLarge naming the 512-byte limit", err)
	}
	meta.Version = strings.Repeat("x", 400)
	if _, err := encodeMeta(meta, 0); err != nil {
		t.Fatalf("encode 400-byte version: %v", err)
	}
}

func TestMeta_DecodeRejects(t *testing.T) {
	good, err := encodeMeta(Meta{NodeID: "n", Region: "ams"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		b    []byte
		is   error
	}{
		{"empty", nil, errShortBuffer},
		{"future format", append([]byte{metaFormat + 1}, good[1:]...), errMetaFormat},
		{"truncated", good[:len(good)-2], errShortBuffer},
		{"huge slot", []byte{metaFormat, 0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0, 0, 0, 0, 0, 0}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeMeta("n", tt.b)
			if err == nil {
				t.Fatal("decode accepted bad metadata")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Fatalf("error %v, want %v", err, tt.is)
			}
		})
	}
}

func TestMeta_DecodeIgnoresAppendedFields(t *testing.T) {
	b, err := encodeMeta(Meta{NodeID: "n", Slot: 3, Region: "ams"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeMeta("n", append(b, 0x05, 'l', 'a', 't', 'e', 'r'))
	if err != nil || got.Slot != 3 || got.Region != "ams" {
		t.Fatalf("decode with a newer trailing field: %+v, %v", got, err)
	}
}

func FuzzDecodeMeta(f *testing.F) {
	for _, m := range []Meta{{NodeID: "n", Slot: 1, Region: "r", QUICAddr: "q"}, {NodeID: "n"}} {
		b, err := encodeMeta(m, metaFlagLeaving)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		meta, flags, err := decodeMetaFlags("n", b)
		if err != nil {
			return
		}
		if meta.Role != RoleVoter && meta.Role != RoleReplica {
			return // an unknown role from a newer node decodes but cannot be re-encoded
		}
		again, err := encodeMeta(meta, flags)
		if err != nil {
			return // within 512 bytes only when the input was
		}
		back, flags2, err := decodeMetaFlags("n", again)
		if err != nil || back != meta || flags2 != flags {
			t.Fatalf("re-encoding %+v gave %+v (%v)", meta, back, err)
		}
	})
}
