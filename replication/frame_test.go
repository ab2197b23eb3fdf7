package replication

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
)

func TestFrame_RoundTrip(t *testing.T) {
	for _, size := range []int{0, 1, frameReadChunk, frameReadChunk + 1, 3*frameReadChunk + 7} {
		in := frame{Kind: 42, Flags: flagResponse | flagMore, Payload: bytes.Repeat([]byte{7}, size)}
		var buf bytes.Buffer
		if err := writeFrame(&buf, in); err != nil {
			t.Fatalf("write %d: %v", size, err)
		}
		if buf.Len() != frameHeaderSize+size {
			t.Fatalf("encoded %d bytes; want %d", buf.Len(), frameHeaderSize+size)
		}
		out, err := readFrame(&buf, 1<<20)
		if err != nil || out.Kind != in.Kind || out.Flags != in.Flags || !bytes.Equal(out.Payload, in.Payload) {
			t.Fatalf("read %d = %+v, %v", size, out.Kind, err)
		}
	}
}

func TestParseFrameHeader(t *testing.T) {
	ok := []byte{1, 16, byte(flagResponse), 0, 0, 0, 0, 10}
	if h, err := parseFrameHeader(ok, 10); err != nil || h.Kind != 16 || h.Length != 10 {
		t.Fatalf("valid header = %+v, %v", h, err)
	}
	for name, tc := range map[string]struct {
		b    []byte
		want error
	}{
		"short":           {ok[:7], ErrBadFrame},
		"version 0":       {[]byte{0, 16, 0, 0, 0, 0, 0, 1}, ErrBadFrame},
		"version 2":       {[]byte{2, 16, 0, 0, 0, 0, 0, 1}, ErrBadFrame},
		"reserved set":    {[]byte{1, 16, 0, 1, 0, 0, 0, 1}, ErrBadFrame},
		"unknown flag":    {[]byte{1, 16, 0x80, 0, 0, 0, 0, 1}, ErrBadFrame},
		"over the limit":  {[]byte{1, 16, 0, 0, 0, 0, 0, 11}, ErrFrameTooLarge},
		"4 GiB claimed":   {[]byte{1, 16, 0, 0, 0xff, 0xff, 0xff, 0xff}, ErrFrameTooLarge},
		"limit of 0 byte": {[]byte{1, 16, 0, 0, 0, 0, 0, 11}, ErrFrameTooLarge},
	} {
		limit := 10
		if name == "limit of 0 byte" {
			limit = 0
		}
		if _, err := parseFrameHeader(tc.b, limit); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v; want %v", name, err, tc.want)
		}
	}
}

func TestReadFrame_Truncated(t *testing.T) {
	var buf bytes.Buffer
	_ = writeFrame(&buf, frame{Kind: 16, Payload: []byte("hello")})
	whole := buf.Bytes()
	if _, err := readFrame(bytes.NewReader(nil), 100); err != io.EOF {
		t.Fatalf("empty stream: %v; want io.EOF", err)
	}
	for _, n := range []int{3, frameHeaderSize, len(whole) - 1} {
		if _, err := readFrame(bytes.NewReader(whole[:n]), 100); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("cut at %d: %v; want io.ErrUnexpectedEOF", n, err)
		}
	}
}

// TestReadFrame_LyingLength checks that a header claiming 60 MiB backed by a
// few bytes allocates about what arrived, not the claim.
func TestReadFrame_LyingLength(t *testing.T) {
	head := appendFrameHeader(nil, frameHeader{Kind: 16, Length: 60 << 20})
	r := io.MultiReader(bytes.NewReader(head), strings.NewReader("only this"))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := readFrame(r, 64<<20)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("err = %v; want io.ErrUnexpectedEOF", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
		t.Fatalf("allocated %d bytes for a 9-byte payload", grew)
	}
}

func TestBody_RoundTrip(t *testing.T) {
	var wire bytes.Buffer
	w := newBodyWriter(&wire, 16, 10)
	for _, part := range []string{"abc", "", "defghijklmnop", "q"} {
		if n, err := w.Write([]byte(part)); err != nil || n != len(part) {
			t.Fatalf("Write(%q) = %d, %v", part, n, err)
		}
	}
	_ = w.Flush()
	_ = writeFrame(&wire, frame{Kind: 16, Flags: flagResponse, Payload: []byte("!")})
	cut := wire.Bytes()[:wire.Len()-frameHeaderSize-1] // without the final frame

	got, err := io.ReadAll(&bodyReader{r: &wire, maxFrame: 10})
	if err != nil || string(got) != "abcdefghijklmnopq!" {
		t.Fatalf("body = %q, %v", got, err)
	}
	got, err = io.ReadAll(&bodyReader{r: bytes.NewReader(cut), maxFrame: 10})
	if !errors.Is(err, io.ErrUnexpectedEOF) || string(got) != "abcdefghijklmnopq" {
		t.Fatalf("truncated body = %q, %v; want its chunks then io.ErrUnexpectedEOF", got, err)
	}
}

func TestRemoteError_Encoding(t *testing.T) {
	re, err := decodeRemoteError(encodeRemoteError(&codedTestError{code: "busy", msg: "locked"}))
	if err != nil || re.Code != "busy" || re.Message != "locked" {
		t.Fatalf("decoded %+v, %v", re, err)
	}
	again, _ := decodeRemoteError(encodeRemoteError(re)) // forwarded unchanged
	if *again != *re {
		t.Fatalf("forwarded %+v; want %+v", again, re)
	}
	for _, bad := range [][]byte{nil, {5, 'a'}} {
		if _, err := decodeRemoteError(bad); !errors.Is(err, ErrBadFrame) {
			t.Errorf("decode %v: %v; want ErrBadFrame", bad, err)
		}
	}
}
