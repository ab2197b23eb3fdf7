package replication

import (
	"bytes"
	"testing"
)

func TestGossipKey(t *testing.T) {
	a1, err := gossipKey("secret-a")
	if err != nil {
		t.Fatal(err)
	}
	a2, _ := gossipKey("secret-a")
	b, _ := gossipKey("secret-b")
	if len(a1) != 32 {
		t.Fatalf("key is %d bytes, want 32", len(a1))
	}
	if !bytes.Equal(a1, a2) || bytes.Equal(a1, b) {
		t.Fatal("key must be a function of the secret alone")
	}
	if bytes.Equal(a1, []byte("secret-a")) {
		t.Fatal("key is the raw secret")
	}
}

func TestMembershipConfig_Addresses(t *testing.T) {
	tests := []struct {
		bind, adv         string
		wantBind, wantAdv string
		wantPort, advPort int
	}{
		{"", "", "0.0.0.0", "", 7946, 7946},
		{":7000", "", "0.0.0.0", "", 7000, 7000},
		{"127.0.0.1:0", "", "127.0.0.1", "", 0, 0},
		{"0.0.0.0:7000", "fdaa::3", "0.0.0.0", "fdaa::3", 7000, 7000},
		{"0.0.0.0:7000", "10.1.1.1:17000", "0.0.0.0", "10.1.1.1", 7000, 17000},
	}
	for _, tt := range tests {
		cfg := MembershipConfig{BindAddr: tt.bind, AdvertiseAddr: tt.adv, Meta: Meta{NodeID: "n"}}.withDefaults()
		mc, err := cfg.memberlistConfig()
		if err != nil {
			t.Fatalf("%q/%q: %v", tt.bind, tt.adv, err)
		}
		if mc.BindAddr != tt.wantBind || mc.BindPort != tt.wantPort || mc.AdvertiseAddr != tt.wantAdv || mc.AdvertisePort != tt.advPort {
			t.Errorf("%q/%q: bind %s:%d advertise %s:%d", tt.bind, tt.adv, mc.BindAddr, mc.BindPort, mc.AdvertiseAddr, mc.AdvertisePort)
		}
	}
}
