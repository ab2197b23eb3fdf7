package main

import "testing"

func TestParseByteSize(t *testing.T) {
	cases := []struct {
		in      string
		want    ByteSize
		wantErr bool
	}{
		{"0", 0, false},
		{"1048576", MiB, false},
		{"16MiB", 16 * MiB, false},
		{"16 mib", 16 * MiB, false},
		{"512KiB", 512 * KiB, false},
		{"2GiB", 2 * GiB, false},
		{"100B", 100, false},
		{"16MB", 0, true},
		{"-1", 0, true},
		{"MiB", 0, true},
		{"1.5MiB", 0, true},
		{"99999999999999GiB", 0, true},
	}
	for _, tc := range cases {
		got, err := ParseByteSize(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("ParseByteSize(%q) = %d, %v; want %d, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestByteSize_String(t *testing.T) {
	for in, want := range map[ByteSize]string{0: "0", 100: "100", KiB: "1KiB", 16 * MiB: "16MiB", 3 * GiB: "3GiB", MiB + 1: "1048577"} {
		if got := in.String(); got != want {
			t.Errorf("ByteSize(%d).String() = %q, want %q", int64(in), got, want)
		}
	}
}
