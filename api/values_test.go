package api

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"testing"
	"unicode/utf8"
)

// stdString is encoding/json's encoding of s without HTML escaping.
func stdString(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

func TestAppendString(t *testing.T) {
	for _, s := range []string{"", "plain", `q"uote`, `back\slash`, "\n\r\t\x00\x1f\x7f", "é日本🙂", "bad\xffutf8",
		"\u2028\u2029", "<&>", "\xed\xa0\x80"} {
		if got, want := string(appendString(nil, s)), stdString(s); got != want {
			t.Errorf("appendString(%q) = %s, want %s", s, got, want)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "a\"b", "\xff", "\u2028", "日本"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := appendString(nil, s)
		if want := stdString(s); string(got) != want {
			t.Fatalf("appendString(%q) = %s, want %s", s, got, want)
		}
		var back string
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("invalid JSON %s: %v", got, err)
		}
		if utf8.ValidString(s) && back != s {
			t.Fatalf("round trip %q → %q", s, back)
		}
	})
}

func TestAppendFloat(t *testing.T) {
	for _, c := range []struct {
		f    float64
		want string
	}{
		{1.5, "1.5"}, {2, "2.0"}, {-0.0, "0.0"}, {0, "0.0"}, {1e21, "1e+21"}, {1e-7, "1e-07"},
		{123456789012, "123456789012.0"}, {math.NaN(), "null"}, {math.Inf(1), "null"}, {math.Inf(-1), "null"},
		{math.MaxFloat64, "1.7976931348623157e+308"},
	} {
		got := string(appendFloat(nil, c.f))
		if got != c.want {
			t.Errorf("appendFloat(%v) = %s, want %s", c.f, got, c.want)
		}
		if got != "null" {
			if back, err := strconv.ParseFloat(got, 64); err != nil || back != c.f {
				t.Errorf("%s reads back as %v, %v", got, back, err)
			}
		}
	}
}

func TestAppendInt(t *testing.T) {
	for _, c := range []struct {
		i        int64
		asString bool
		want     string
	}{
		{maxSafeInteger, true, "9007199254740991"},
		{maxSafeInteger + 1, true, `"9007199254740992"`},
		{-maxSafeInteger, true, "-9007199254740991"},
		{-maxSafeInteger - 1, true, `"-9007199254740992"`},
		{math.MaxInt64, false, "9223372036854775807"},
		{math.MinInt64, true, `"-9223372036854775808"`},
	} {
		if got := string(appendInt(nil, c.i, c.asString)); got != c.want {
			t.Errorf("appendInt(%d, %v) = %s, want %s", c.i, c.asString, got, c.want)
		}
	}
}

func TestDecodeValue(t *testing.T) {
	for _, c := range []struct {
		in   any
		want any
	}{
		{json.Number("42"), int64(42)},
		{json.Number("-0"), int64(0)},
		{json.Number("4.0"), 4.0},
		{json.Number("1E2"), 100.0},
		{json.Number("9223372036854775807"), int64(math.MaxInt64)},
		{true, int64(1)},
		{false, int64(0)},
		{"s", "s"},
		{nil, nil},
	} {
		got, err := decodeValue(c.in, "p")
		if err != nil || got != c.want {
			t.Errorf("decodeValue(%#v) = %#v, %v; want %#v", c.in, got, err, c.want)
		}
	}
	b, err := decodeValue(map[string]any{"base64": "AP8="}, "p")
	if err != nil || !bytes.Equal(b.([]byte), []byte{0, 0xff}) {
		t.Errorf("blob: %v, %v", b, err)
	}
	for _, bad := range []any{json.Number("9223372036854775808"), json.Number("1e999"), []any{}, map[string]any{"base64": "AP8=", "x": 1}} {
		if _, err := decodeValue(bad, "p"); err == nil {
			t.Errorf("decodeValue(%#v) accepted", bad)
		}
	}
}

func TestDecodeParams_NamedPrefixes(t *testing.T) {
	p, err := decodeParams(map[string]any{":a": "1", "@b": "2", "$c": "3", "d": "4"}, "params")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"a", "b", "c", "d"} {
		if _, ok := p.Named[k]; !ok {
			t.Errorf("no param %q in %v", k, p.Named)
		}
	}
	if _, err := decodeParams(map[string]any{":a": "1", "a": "2"}, "params"); err == nil {
		t.Error("the same name with and without a prefix was accepted")
	}
	if _, err := decodeParams(map[string]any{":": "1"}, "params"); err == nil {
		t.Error("an empty name was accepted")
	}
}
