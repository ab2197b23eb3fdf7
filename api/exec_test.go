package api

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/warren-db/warren/engine"
)

func TestExec_Results(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	body := f.do("POST", "/v1/db/main/exec", obj{"statements": []obj{
		{"sql": "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)"},
		{"sql": "INSERT INTO t (id, name) VALUES (?, ?), (?, ?)", "params": []any{10, "a", 11, "b"}},
		{"sql": "UPDATE t SET name = :n WHERE id > 0", "params": obj{":n": "z"}},
		{"sql": "INSERT INTO t (id, name) VALUES (20, 'r') RETURNING id, name"},
	}, "consistency": "one"}).expect(t, http.StatusOK)
	results := body["results"].([]any)
	if len(results) != 4 {
		t.Fatalf("results %v, want 4", results)
	}
	assertJSON(t, results[1].(obj)["rows_affected"], `2`)
	assertJSON(t, results[1].(obj)["last_insert_id"], `11`)
	assertJSON(t, results[2].(obj)["rows_affected"], `2`)
	returning := results[3].(obj)
	assertJSON(t, returning["columns"], `["id","name"]`)
	assertJSON(t, returning["types"], `["INTEGER","TEXT"]`)
	assertJSON(t, returning["rows"], `[[20,"r"]]`)
	if _, ok := results[1].(obj)["columns"]; ok {
		t.Errorf("an INSERT without RETURNING has no columns: %v", results[1])
	}
	if bm, _ := body["bookmark"].(string); bm == "" {
		t.Errorf("no bookmark in %v", body)
	}
	assertJSON(t, f.rows("main", "SELECT id, name FROM t ORDER BY id"), `[[10,"z"],[11,"z"],[20,"r"]]`)
}

func TestExec_AtomicBatchFailsWhole(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	f.exec("main", "CREATE TABLE t (id INTEGER PRIMARY KEY)")
	f.do("POST", "/v1/db/main/exec", obj{"statements": []obj{
		{"sql": "INSERT INTO t VALUES (1)"},
		{"sql": "INSERT INTO t VALUES (2)"},
		{"sql": "INSERT INTO t VALUES (1)"}, // duplicate key
		{"sql": "INSERT INTO t VALUES (3)"},
	}}).expectError(t, http.StatusConflict, engine.CodeConstraint)
	if rows := f.rows("main", "SELECT id FROM t"); len(rows) != 0 {
		t.Fatalf("a failed atomic batch left rows behind: %v", rows)
	}
}

func TestExec_NonAtomic(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	f.exec("main", "CREATE TABLE t (id INTEGER PRIMARY KEY)")
	body := f.do("POST", "/v1/db/main/exec", obj{"transaction": false, "statements": []obj{
		{"sql": "INSERT INTO t VALUES (1)"},
		{"sql": "INSERT INTO t VALUES (1)"},
		{"sql": "INSERT INTO nope VALUES (1)"},
		{"sql": "INSERT INTO t VALUES (2)"},
	}}).expect(t, http.StatusOK)
	results := body["results"].([]any)
	if len(results) != 4 {
		t.Fatalf("results %v, want 4", results)
	}
	for i, want := range []string{"", "constraint_violation", "sql_error", ""} {
		r := results[i].(obj)
		e, _ := r["error"].(obj)
		switch {
		case want == "" && e != nil:
			t.Errorf("statement %d failed: %v", i, e)
		case want != "" && (e == nil || e["code"] != want):
			t.Errorf("statement %d: result %v, want error %s", i, r, want)
		}
	}
	assertJSON(t, f.rows("main", "SELECT id FROM t ORDER BY id"), `[[1],[2]]`)
}

func TestExec_Errors(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	f.exec("main", "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
	t.Run("constraint", func(t *testing.T) {
		f.do("POST", "/v1/db/main/exec", obj{"statements": []obj{{"sql": "INSERT INTO t (id) VALUES (1)"}}}).
			expectError(t, http.StatusConflict, engine.CodeConstraint, "NOT NULL")
	})
	t.Run("syntax", func(t *testing.T) {
		f.do("POST", "/v1/db/main/exec", obj{"statements": []obj{{"sql": "INSRT INTO t VALUES (1)"}}}).
			expectError(t, http.StatusBadRequest, engine.CodeSyntax)
	})
	t.Run("unknown database", func(t *testing.T) {
		f.do("POST", "/v1/db/nope/exec", obj{"statements": []obj{{"sql": "INSERT INTO t VALUES (1, 'a')"}}}).
			expectError(t, http.StatusNotFound, engine.CodeNotFound)
	})
	t.Run("param of the second statement", func(t *testing.T) {
		f.do("POST", "/v1/db/main/exec", obj{"statements": []any{
			obj{"sql": "SELECT 1"},
			obj{"sql": "SELECT ?", "params": json.RawMessage(`[18446744073709551615]`)},
		}}).expectError(t, http.StatusBadRequest, engine.CodeInvalid, "statements[1].params[0]")
	})
}
