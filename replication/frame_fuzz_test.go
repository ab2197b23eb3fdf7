package replication

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// fuzzMaxFrame keeps fuzzed frames small.
const fuzzMaxFrame = 1 << 16

// fuzzFrameSeeds adds encoded frames to a fuzz corpus.
func fuzzFrameSeeds(f *testing.F) {
	for _, fr := range []frame{
		{Kind: KindPing},
		{Kind: 16, Payload: []byte("request")},
		{Kind: 16, Flags: flagResponse | flagMore, Payload: []byte("chunk")},
		{Kind: 16, Flags: flagResponse | flagError, Payload: encodeRemoteError(errors.New("no"))},
	} {
		var buf bytes.Buffer
		_ = writeFrame(&buf, fr)
		f.Add(buf.Bytes())
		f.Add(append(buf.Bytes(), buf.Bytes()...))
	}
	f.Add([]byte{1, 16, 0, 0, 0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{})
}

// FuzzReadFrame checks that the frame decoder never panics, honors the size
// limit and decodes exactly what the encoder writes back.
func FuzzReadFrame(f *testing.F) {
	fuzzFrameSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, err := readFrame(bytes.NewReader(data), fuzzMaxFrame)
		if err != nil {
			return
		}
		if len(fr.Payload) > fuzzMaxFrame {
			t.Fatalf("decoded %d bytes over the %d limit", len(fr.Payload), fuzzMaxFrame)
		}
		var buf bytes.Buffer
		if err := writeFrame(&buf, fr); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), data[:buf.Len()]) {
			t.Fatalf("re-encoded %x; input began %x", buf.Bytes(), data[:buf.Len()])
		}
	})
}

// FuzzParseFrameHeader checks the header decoder against its encoder.
func FuzzParseFrameHeader(f *testing.F) {
	f.Add([]byte{1, 16, 1, 0, 0, 0, 0, 5}, 10)
	f.Add([]byte{1, 0, 7, 0, 0, 1, 0, 0}, -1)
	f.Fuzz(func(t *testing.T, data []byte, limit int) {
		h, err := parseFrameHeader(data, limit)
		if err != nil {
			return
		}
		if int64(h.Length) > max(int64(limit), 0) {
			t.Fatalf("length %d passed limit %d", h.Length, limit)
		}
		if enc := appendFrameHeader(nil, h); !bytes.Equal(enc, data[:frameHeaderSize]) {
			t.Fatalf("re-encoded %x from %x", enc, data[:frameHeaderSize])
		}
	})
}

// FuzzBodyReader checks that decoding a streamed response never panics and
// ends only with io.EOF after a final frame, or with an error.
func FuzzBodyReader(f *testing.F) {
	fuzzFrameSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &bodyReader{r: bytes.NewReader(data), maxFrame: fuzzMaxFrame}
		got, err := io.ReadAll(r)
		if err == nil && len(got) > len(data) {
			t.Fatalf("body of %d bytes from %d input bytes", len(got), len(data))
		}
	})
}

// FuzzDecodeRemoteError checks the error payload decoder.
func FuzzDecodeRemoteError(f *testing.F) {
	f.Add(encodeRemoteError(&codedTestError{code: "busy", msg: "locked"}))
	f.Add([]byte{0})
	f.Add([]byte{200, 'x'})
	f.Fuzz(func(t *testing.T, data []byte) {
		re, err := decodeRemoteError(data)
		if err != nil {
			return
		}
		if again, err := decodeRemoteError(encodeRemoteError(re)); err != nil || *again != *re {
			t.Fatalf("round trip of %+v = %+v, %v", re, again, err)
		}
	})
}
