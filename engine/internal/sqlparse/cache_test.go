package sqlparse

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"unsafe"
)

func TestCache_Analyze(t *testing.T) {
	c := NewCache(8)
	for i := 0; i < 2; i++ {
		got, err := c.Analyze("INSERT INTO t(a) VALUES (?)")
		if err != nil {
			t.Fatal(err)
		}
		if got.Kind != KindWrite || got.Table != "t" || got.Insert == nil || got.Insert.Rows != 1 {
			t.Errorf("Analyze = %+v", got)
		}
	}
	if c.Len() != 1 {
		t.Errorf("Len = %d, want 1", c.Len())
	}
	for i := 0; i < 2; i++ {
		if _, err := c.Analyze("SELECT 1; SELECT 2"); !errors.Is(err, ErrMultiple) {
			t.Errorf("Analyze error = %v, want ErrMultiple", err)
		}
	}
}

func TestCache_EvictsLeastRecentlyUsed(t *testing.T) {
	c := NewCache(2)
	mustAnalyze(t, c, "SELECT 1")
	mustAnalyze(t, c, "SELECT 2")
	mustAnalyze(t, c, "SELECT 1") // now most recent
	mustAnalyze(t, c, "SELECT 3") // evicts SELECT 2
	if c.Len() != 2 {
		t.Fatalf("Len = %d, want 2", c.Len())
	}
	for key, want := range map[string]bool{"SELECT 1": true, "SELECT 2": false, "SELECT 3": true} {
		if _, ok := c.get(key); ok != want {
			t.Errorf("cached(%q) = %v, want %v", key, ok, want)
		}
	}
}

func TestCache_SkipsLongStatements(t *testing.T) {
	c := NewCache(0)
	long := "INSERT INTO t(a) VALUES " + strings.Repeat("(1), ", MaxCachedLen/5) + "(1)"
	got, changed, err := c.RewriteInsert(long, tableT, (&idRecorder{}).ids)
	if err != nil || !changed || !strings.HasPrefix(got, `INSERT INTO t("id", a) VALUES (1001, 1)`) {
		t.Fatalf("RewriteInsert(long) = %.60q..., %v, %v", got, changed, err)
	}
	if c.Len() != 0 {
		t.Errorf("Len = %d, want 0", c.Len())
	}
}

// TestCache_Concurrent shares one cache between goroutines (run with -race)
// and checks every result against the uncached functions.
func TestCache_Concurrent(t *testing.T) {
	c := NewCache(16)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				sql := fmt.Sprintf("INSERT INTO t(a, b) VALUES (?, %d)", (i*7+g)%24)
				got, _, err := c.RewriteInsert(sql, tableT, (&idRecorder{}).ids)
				want, _, _ := RewriteInsert(sql, tableT, (&idRecorder{}).ids)
				if err != nil || got != want {
					t.Errorf("RewriteInsert(%q) = %q, %v; want %q", sql, got, err, want)
					return
				}
				target := []Target{paramsT, paramsRowid}[i%2]
				gotP, err := c.MintIDs(sql, target, (&idRecorder{}).ids)
				wantP, _ := MintIDs(sql, target, (&idRecorder{}).ids)
				if err != nil || gotP != wantP {
					t.Errorf("MintIDs(%q, %v) = %+v, %v; want %+v", sql, target, gotP, err, wantP)
					return
				}
			}
		}()
	}
	wg.Wait()
	if c.Len() > 16 {
		t.Errorf("Len = %d, want at most 16", c.Len())
	}
}

func TestCache_MintIDsReusesText(t *testing.T) {
	c := NewCache(8)
	const sql = "INSERT INTO t(a) VALUES (?), (?)"
	first, err := c.MintIDs(sql, paramsT, (&idRecorder{}).ids)
	if err != nil {
		t.Fatal(err)
	}
	rec := &idRecorder{}
	again, err := c.MintIDs(sql, paramsT, rec.ids)
	if err != nil || again != first || !equalInts(rec.calls, []int{2}) {
		t.Fatalf("second MintIDs = %+v, %v, ids calls %v; first %+v", again, err, rec.calls, first)
	}
	if unsafe.StringData(again.SQL) != unsafe.StringData(first.SQL) {
		t.Error("second MintIDs built its text again")
	}

	// Another target gets its own text.
	other := Target{IDCol: "k", Columns: []string{"k", "a"}, IDParams: true}
	for range 2 {
		r, err := c.MintIDs(sql, other, (&idRecorder{}).ids)
		if err != nil || r.SQL != `INSERT INTO t(a, "k") VALUES (?, :__warren_id_0), (?, :__warren_id_1)` {
			t.Errorf("MintIDs(other target) = %+v, %v", r, err)
		}
	}

	// A remembered text still fails when the ids cannot be reserved.
	errBoom := errors.New("boom")
	for _, ids := range []IDFunc{(&idRecorder{err: errBoom}).ids, func(int) (int64, int64, error) { return 1, 0, nil }, nil} {
		if r, err := c.MintIDs(sql, other, ids); err == nil {
			t.Errorf("MintIDs with a failing IDFunc = %+v", r)
		}
	}
}

func TestCache_MintIDsUnchangedAndLiteral(t *testing.T) {
	c := NewCache(8)
	for range 2 {
		rec := &idRecorder{}
		const given = "INSERT INTO t(id, a) VALUES (1, ?)"
		if r, err := c.MintIDs(given, paramsT, rec.ids); err != nil || r != (Rewrite{SQL: given}) || rec.calls != nil {
			t.Errorf("MintIDs(%q) = %+v, %v, ids calls %v", given, r, err, rec.calls)
		}
		// Literal ids differ per call, so they are never remembered.
		base := int64(1)
		ids := func(int) (int64, int64, error) { base += 10; return base, 10, nil }
		const numbered = "INSERT INTO t(a) VALUES (?1)"
		for _, want := range []string{`INSERT INTO t("id", a) VALUES (11, ?1)`, `INSERT INTO t("id", a) VALUES (21, ?1)`} {
			if r, err := c.MintIDs(numbered, paramsT, ids); err != nil || r.SQL != want || r.IDParams != 0 {
				t.Errorf("MintIDs(%q) = %+v, %v; want %s", numbered, r, err, want)
			}
		}
	}
}

func mustAnalyze(t *testing.T, c *Cache, sql string) {
	t.Helper()
	if _, err := c.Analyze(sql); err != nil {
		t.Fatalf("Analyze(%q): %v", sql, err)
	}
}
