package cdc

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// FuzzRenderRow feeds arbitrary captured images and keys to the renderers:
// they must fail cleanly or give valid JSON objects.
func FuzzRenderRow(f *testing.F) {
	for _, s := range []string{`{"id":1,"v":"a"}`, `{"b":{"$b":"00ff"}}`, `{"b":{"$b":"zz"}}`, `{"x":{"y":1}}`, `[1,"a"]`, `[{"$b":"0a"}]`, `nul`, `{"$b"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if out, err := renderRow(json.RawMessage(s)); err == nil && len(out) > 0 && !json.Valid(out) && json.Valid([]byte(s)) {
			t.Fatalf("renderRow(%q) = invalid JSON %q", s, out)
		}
		if out, err := keyObject(json.RawMessage(s), []string{"a", "b"}); err == nil {
			var obj map[string]any
			if json.Unmarshal(out, &obj) != nil {
				t.Fatalf("keyObject(%q) = %q, not a JSON object", s, out)
			}
		}
	})
}

// FuzzPlanLive feeds arbitrary SQL to the live-query planner: it never
// panics, and an incremental plan always names its table.
func FuzzPlanLive(f *testing.F) {
	for _, s := range []string{"SELECT * FROM t WHERE a > 1", "SELECT a, count(*) FROM t GROUP BY a", "WITH x AS (SELECT 1) SELECT * FROM x",
		"INSERT INTO t VALUES (1)", "SELECT 1; SELECT 2", "SELECT * FROM t WHERE a = 'x;y' ORDER BY b", "SELECT (SELECT max(a) FROM u) FROM t", "select"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		plan, err := planLive(s)
		if err == nil && plan.incremental && plan.table == "" {
			t.Fatalf("planLive(%q): incremental plan without a table: %+v", s, plan)
		}
	})
}

// FuzzLoadCursors feeds arbitrary cursor files to the loader: it fails
// cleanly or returns positions that save and load back unchanged.
func FuzzLoadCursors(f *testing.F) {
	for _, s := range []string{`{"databases":{"main":"12-3","b":"7"}}`, `{"databases":{"main":"x"}}`, `{}`, `[]`, ``} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		path := filepath.Join(t.TempDir(), "cursor.json")
		if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := loadCursors(path)
		if err != nil {
			return
		}
		if err := saveCursors(path, got); err != nil {
			t.Fatal(err)
		}
		again, err := loadCursors(path)
		if err != nil || len(again) != len(got) {
			t.Fatalf("round trip of %q: %v, %v", s, again, err)
		}
		for db, p := range got {
			if again[db] != p {
				t.Fatalf("round trip of %q: %s became %s", s, p, again[db])
			}
		}
	})
}
