package mysqlwire

import (
	"math"
	"testing"

	"github.com/go-mysql-org/go-mysql/mysql"
	"github.com/warren-db/warren/engine"
)

func TestParseTemporal(t *testing.T) {
	cases := []struct {
		in   string
		kind valueKind
		ok   bool
		text string
	}{
		{"2024-02-29 13:14:15", kindDateTime, true, "2024-02-29 13:14:15"},
		{"2024-02-29T13:14:15Z", kindDateTime, true, "2024-02-29 13:14:15"},
		{"2024-02-29 13:14:15.5", kindDateTime, true, "2024-02-29 13:14:15.500000"},
		{"2024-02-29", kindDateTime, true, "2024-02-29 00:00:00"},
		{"0000-00-00 00:00:00", kindDateTime, true, "0000-00-00 00:00:00"},
		{"2024-13-01 00:00:00", kindDateTime, false, ""},
		{"yesterday", kindDateTime, false, ""},
		{"2024-03-01", kindDate, true, "2024-03-01"},
		{"2024-03-01 10:00:00", kindDate, false, ""},
		{"-838:59:59", kindTime, true, "-838:59:59"},
		{"10:11:12.000001", kindTime, true, "10:11:12.000001"},
		{"10:61:00", kindTime, false, ""},
	}
	for _, c := range cases {
		tm, ok := parseTemporal(c.in, c.kind)
		if ok != c.ok {
			t.Errorf("parseTemporal(%q) ok = %v", c.in, ok)
			continue
		}
		if ok {
			if got := string(appendTemporalText(nil, tm, c.kind, 0)); got != c.text {
				t.Errorf("%q renders as %q, want %q", c.in, got, c.text)
			}
		}
	}
}

func TestAppendTemporalBinary(t *testing.T) {
	dt, _ := parseTemporal("2024-02-29 13:14:15", kindDateTime)
	if got := appendTemporalBinary(nil, dt, kindDateTime); string(got) != string([]byte{7, 0xe8, 0x07, 2, 29, 13, 14, 15}) {
		t.Errorf("datetime = %v", got)
	}
	zero, _ := parseTemporal("0000-00-00 00:00:00", kindDateTime)
	if got := appendTemporalBinary(nil, zero, kindDateTime); string(got) != "\x00" {
		t.Errorf("zero datetime = %v", got)
	}
	tm, _ := parseTemporal("-25:00:01", kindTime)
	if got := appendTemporalBinary(nil, tm, kindTime); string(got) != string([]byte{8, 1, 1, 0, 0, 0, 1, 0, 1}) {
		t.Errorf("time = %v", got)
	}
}

func TestAppendDouble(t *testing.T) {
	for f, want := range map[float64]string{0: "0", 0.1: "0.1", 123456789: "123456789", -2.5: "-2.5",
		1e21: "1e21", 1.5e-7: "1.5e-7", math.MaxFloat64: "1.7976931348623157e308"} {
		if got := string(appendDouble(nil, f)); got != want {
			t.Errorf("appendDouble(%g) = %q, want %q", f, got, want)
		}
	}
}

func TestAppendDecimal(t *testing.T) {
	cases := []struct {
		v     engine.Value
		scale int
		want  string
	}{{int64(12), 2, "12.00"}, {12.5, 2, "12.50"}, {1.2345, 2, "1.2345"}, {int64(7), 0, "7"}, {"3.10", 2, "3.10"}}
	for _, c := range cases {
		if got := string(appendDecimal(nil, c.v, c.scale)); got != c.want {
			t.Errorf("appendDecimal(%v, %d) = %q, want %q", c.v, c.scale, got, c.want)
		}
	}
}

func TestResultColumns(t *testing.T) {
	rows := &engine.Rows{
		Columns: []engine.Column{
			{Name: "id", DeclType: "bigint(20) unsigned"}, {Name: "flag", DeclType: "tinyint(1)"},
			{Name: "big", DeclType: "tinyint"}, {Name: "title", DeclType: "varchar(255)"},
			{Name: "body", DeclType: "longtext"}, {Name: "at", DeclType: "datetime"},
			{Name: "expr", DeclType: ""}, {Name: "f", DeclType: ""}, {Name: "nothing", DeclType: ""},
			{Name: "mixed", DeclType: "int"}, {Name: "bin", DeclType: "blob"},
		},
		Rows: [][]engine.Value{
			{int64(1), int64(1), int64(300), "a", "b", "2024-01-01 00:00:00", int64(5), 1.5, nil, int64(1), []byte{1}},
			{int64(2), int64(0), int64(1), "c", "d", nil, int64(6), int64(2), nil, "two", []byte{2}},
		},
	}
	want := []struct {
		typ   byte
		kind  valueKind
		flags uint16
	}{
		{mysql.MYSQL_TYPE_LONGLONG, kindInt, mysql.UNSIGNED_FLAG},
		{mysql.MYSQL_TYPE_TINY, kindInt, 0},
		{mysql.MYSQL_TYPE_LONGLONG, kindInt, 0}, // 300 does not fit a TINY
		{mysql.MYSQL_TYPE_VAR_STRING, kindText, 0},
		{mysql.MYSQL_TYPE_BLOB, kindText, mysql.BLOB_FLAG},
		{mysql.MYSQL_TYPE_DATETIME, kindDateTime, 0},
		{mysql.MYSQL_TYPE_LONGLONG, kindInt, 0},
		{mysql.MYSQL_TYPE_DOUBLE, kindFloat, 0},
		{mysql.MYSQL_TYPE_NULL, kindNull, 0},
		{mysql.MYSQL_TYPE_VAR_STRING, kindText, 0}, // text in an INT column
		{mysql.MYSQL_TYPE_BLOB, kindBytes, mysql.BINARY_FLAG | mysql.BLOB_FLAG},
	}
	for i, c := range resultColumns(rows) {
		w := want[i]
		if c.typ != w.typ || c.kind != w.kind || c.flags != w.flags {
			t.Errorf("column %s: type %d kind %d flags %#x, want %d %d %#x", c.name, c.typ, c.kind, c.flags, w.typ, w.kind, w.flags)
		}
	}
}

func TestBinaryRow(t *testing.T) {
	cols := []column{{typ: mysql.MYSQL_TYPE_LONGLONG, kind: kindInt}, {typ: mysql.MYSQL_TYPE_VAR_STRING, kind: kindText}, {typ: mysql.MYSQL_TYPE_DOUBLE, kind: kindFloat}}
	got := appendBinaryRow(nil, cols, []any{int64(-1), nil, 0.5})
	want := []byte{0, 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0xe0, 0x3f}
	if string(got) != string(want) {
		t.Fatalf("row = %x, want %x", got, want)
	}
}

func TestInsertLenenc(t *testing.T) {
	for _, n := range []int{0, 250, 251, 70000} {
		b := append([]byte("xy"), make([]byte, n)...)
		b = insertLenenc(b, 2)
		v, used, ok := lenencBytes(b[2:])
		if !ok || len(v) != n || used != len(b)-2 {
			t.Fatalf("size %d: ok %v len %d used %d", n, ok, len(v), used)
		}
	}
}

func TestDecodeParam(t *testing.T) {
	cases := []struct {
		typ      byte
		unsigned bool
		in       []byte
		want     engine.Value
	}{
		{mysql.MYSQL_TYPE_TINY, false, []byte{0xff}, int64(-1)},
		{mysql.MYSQL_TYPE_TINY, true, []byte{0xff}, int64(255)},
		{mysql.MYSQL_TYPE_LONG, false, []byte{0xfe, 0xff, 0xff, 0xff}, int64(-2)},
		{mysql.MYSQL_TYPE_LONGLONG, true, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, "18446744073709551615"},
		{mysql.MYSQL_TYPE_VAR_STRING, false, []byte{2, 'h', 'i'}, "hi"},
		{mysql.MYSQL_TYPE_VAR_STRING, false, []byte{1, 0xff}, []byte{0xff}},
		{mysql.MYSQL_TYPE_BLOB, false, []byte{1, 'a'}, []byte("a")},
		{mysql.MYSQL_TYPE_DATETIME, false, []byte{7, 0xe8, 0x07, 2, 29, 13, 14, 15}, "2024-02-29 13:14:15"},
		{mysql.MYSQL_TYPE_DATE, false, []byte{4, 0xe8, 0x07, 2, 29}, "2024-02-29"},
		{mysql.MYSQL_TYPE_TIME, false, []byte{8, 0, 1, 0, 0, 0, 2, 3, 4}, "26:03:04"},
	}
	for _, c := range cases {
		v, used, err := decodeParam(c.typ, c.unsigned, c.in)
		if err != nil || used != len(c.in) || toText(v) != toText(c.want) {
			t.Errorf("decodeParam(%d, %x) = %#v, %d, %v; want %#v", c.typ, c.in, v, used, err, c.want)
		}
	}
	if _, _, err := decodeParam(mysql.MYSQL_TYPE_LONGLONG, false, []byte{1}); err == nil {
		t.Error("short value accepted")
	}
}

func toText(v engine.Value) string {
	if b, ok := v.([]byte); ok {
		return "bytes:" + string(b)
	}
	return string(appendText(nil, v)) + "/" + typeName(v)
}

func typeName(v engine.Value) string {
	switch v.(type) {
	case int64:
		return "int"
	case string:
		return "string"
	}
	return "?"
}
