package sqlite3

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func openTemp(t testing.TB) *Conn {
	t.Helper()
	c := openWAL(t, filepath.Join(t.TempDir(), "t.db"))
	if err := c.Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, s TEXT, f REAL, b BLOB, n)"); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestConn_ValuesRoundTrip(t *testing.T) {
	c := openTemp(t)
	cases := []struct {
		name string
		in   any
		want any
	}{
		{"date-like text stays text", "2024-01-01 10:00", "2024-01-01 10:00"},
		{"text with NUL", "a\x00b", "a\x00b"},
		{"empty text", "", ""},
		{"int64 max", int64(9223372036854775807), int64(9223372036854775807)},
		{"float", 1.5, 1.5},
		{"blob", []byte{0, 1, 2}, []byte{0, 1, 2}},
		{"empty blob", []byte{}, []byte{}},
		{"null", nil, nil},
		{"bool", true, int64(1)},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ins, err := c.Cached("INSERT INTO t(id, n) VALUES (?, ?)")
			if err != nil {
				t.Fatal(err)
			}
			if err := ins.Bind(1, int64(i+1)); err != nil {
				t.Fatal(err)
			}
			if err := ins.Bind(2, tc.in); err != nil {
				t.Fatal(err)
			}
			if _, err := ins.Step(); err != nil {
				t.Fatal(err)
			}
			ins.Release()
			sel, err := c.Cached("SELECT n FROM t WHERE id = ?")
			if err != nil {
				t.Fatal(err)
			}
			defer sel.Release()
			sel.Bind(1, int64(i+1))
			if ok, err := sel.Step(); !ok || err != nil {
				t.Fatalf("step: %v %v", ok, err)
			}
			got := sel.ColumnValue(0)
			if b, ok := tc.want.([]byte); ok {
				if gb, ok := got.([]byte); !ok || !bytes.Equal(gb, b) {
					t.Fatalf("got %#v want %#v", got, tc.want)
				}
				return
			}
			if got != tc.want {
				t.Fatalf("got %#v want %#v", got, tc.want)
			}
		})
	}
}

func TestConn_DeclTypesAndReadOnly(t *testing.T) {
	c := openTemp(t)
	s, _, err := c.Prepare("SELECT id, s, f, b, n, 1+1 FROM t")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Finalize()
	want := []string{"INTEGER", "TEXT", "REAL", "BLOB", "", ""}
	for i, w := range want {
		if got := s.ColumnDeclType(i); got != w {
			t.Errorf("column %d decltype %q want %q", i, got, w)
		}
	}
	if !s.ReadOnly() {
		t.Error("SELECT should be read-only")
	}
	w, _, _ := c.Prepare("DELETE FROM t")
	defer w.Finalize()
	if w.ReadOnly() {
		t.Error("DELETE should not be read-only")
	}
}

func TestConn_ErrorsAndTail(t *testing.T) {
	c := openTemp(t)
	_, _, err := c.Prepare("SELEC 1")
	var se *Error
	if !errors.As(err, &se) || !se.IsSyntax() {
		t.Fatalf("want syntax error, got %v", err)
	}
	s, rest, err := c.Prepare("SELECT 1; SELECT 2")
	if err != nil || s == nil || strings.TrimSpace(rest) != "SELECT 2" {
		t.Fatalf("tail %q err %v", rest, err)
	}
	s.Finalize()
	if _, err := c.Cached("SELECT 1; SELECT 2"); !errors.Is(err, ErrMultiple) {
		t.Fatalf("want ErrMultiple, got %v", err)
	}
	if s, err := c.Cached("SELECT 1; -- trailing comment"); err != nil {
		t.Fatalf("trailing comment: %v", err)
	} else {
		s.Release()
	}
	c.Exec("CREATE UNIQUE INDEX u ON t(s)")
	c.Exec("INSERT INTO t(s) VALUES ('x')")
	err = c.Exec("INSERT INTO t(s) VALUES ('x')")
	if !errors.As(err, &se) || se.Code != Constraint {
		t.Fatalf("want constraint error, got %v", err)
	}
}

// An interrupt that comes before the statement starts is not lost, and
// holds until ClearInterrupt.
func TestConn_InterruptBeforeStep(t *testing.T) {
	c := openTemp(t)
	count := func() (int64, error) {
		s, err := c.Cached("WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i < 200000) SELECT count(*) FROM r")
		if err != nil {
			t.Fatal(err)
		}
		defer s.Release()
		if _, err := s.Step(); err != nil {
			return 0, err
		}
		return s.ColumnInt64(0), nil
	}
	c.Interrupt()
	for range 2 {
		var se *Error
		if n, err := count(); !errors.As(err, &se) || se.Code != Interrupt {
			t.Fatalf("statement after Interrupt: %d, %v; want an interrupt", n, err)
		}
	}
	c.ClearInterrupt()
	if n, err := count(); err != nil || n != 200000 {
		t.Fatalf("after ClearInterrupt: %d, %v", n, err)
	}
}

func TestConn_Interrupt(t *testing.T) {
	c := openTemp(t)
	s, _, err := c.Prepare("WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r) SELECT count(*) FROM r")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Finalize()
	timer := time.AfterFunc(50*time.Millisecond, c.Interrupt)
	defer timer.Stop()
	_, err = s.Step()
	var se *Error
	if !errors.As(err, &se) || se.Code != Interrupt {
		t.Fatalf("want interrupt, got %v", err)
	}
}

// A connection that counts its WAL frames never checkpoints on commit
// (SQLite's default would at 1000 frames); another connection's Checkpoint
// copies the WAL back, and the next commit starts the WAL over.
func TestConn_CountWALFramesAndCheckpoint(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	w := openWAL(t, path)
	w.CountWALFrames()
	if err := w.Exec("CREATE TABLE t(id INTEGER PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	for i := range 1500 {
		if err := w.Exec(fmt.Sprintf("INSERT INTO t(id) VALUES (%d)", i)); err != nil {
			t.Fatal(err)
		}
	}
	frames := w.WALFrames()
	if frames <= 1500 {
		t.Fatalf("WAL of %d frames after 1500 commits; want more: the commits must not checkpoint", frames)
	}
	ck := openWAL(t, path)
	n, copied, err := ck.Checkpoint()
	if err != nil || n != frames || copied != frames {
		t.Fatalf("Checkpoint = %d, %d, %v; want all %d frames copied", n, copied, err, frames)
	}
	if err := w.Exec("INSERT INTO t(id) VALUES (-1)"); err != nil {
		t.Fatal(err)
	}
	if got := w.WALFrames(); got >= 10 {
		t.Fatalf("WAL of %d frames after a commit that followed a full checkpoint; want it started over", got)
	}
}
