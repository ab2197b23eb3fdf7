package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/warren-db/warren/engine"
)

// valuesTable creates a table holding one value of every type.
func valuesTable(t *testing.T, f *fixture) {
	t.Helper()
	f.exec("main", "CREATE TABLE v (id INTEGER PRIMARY KEY, i INTEGER, big INTEGER, f REAL, whole REAL, s varchar(20), b BLOB, n)")
	f.do("POST", "/v1/db/main/exec", obj{"statements": []obj{{
		"sql":    "INSERT INTO v (id, i, big, f, whole, s, b, n) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		"params": json.RawMessage(`[1, true, 9007199254740993, 1.5, 2.0, "héllo \"q\"\n\u2028", {"base64": "AAEC/w=="}, null]`),
	}}}).expect(t, http.StatusOK)
	f.do("POST", "/v1/db/main/exec", obj{"statements": []obj{{
		"sql": "INSERT INTO v (id, i, big) VALUES (2, -9007199254740991, -9223372036854775808)",
	}}}).expect(t, http.StatusOK)
}

func TestQuery_Values(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	valuesTable(t, f)
	res := f.do("POST", "/v1/db/main/query", obj{"sql": "SELECT i, big, f, whole, s, b, n FROM v ORDER BY id"})
	body := res.expect(t, http.StatusOK)

	assertJSON(t, body["columns"], `["i","big","f","whole","s","b","n"]`)
	assertJSON(t, body["types"], `["INTEGER","INTEGER","REAL","REAL","varchar(20)","BLOB",""]`)
	assertJSON(t, body["rows"], `[[1,9007199254740993,1.5,2.0,"héllo \"q\"\n\u2028",{"base64":"AAEC/w=="},null],`+
		`[-9007199254740991,-9223372036854775808,null,null,null,null,null]]`)
	if !strings.Contains(string(res.Body), `2.0,`) {
		t.Errorf("a REAL holding a whole number must keep its fraction: %s", res.Body)
	}
}

func TestQuery_Int64AsString(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	valuesTable(t, f)
	want := `[[1,"9007199254740993"],[-9007199254740991,"-9223372036854775808"]]`
	t.Run("body field", func(t *testing.T) {
		body := f.do("POST", "/v1/db/main/query", obj{"sql": "SELECT i, big FROM v ORDER BY id", "int64_as_string": true}).
			expect(t, http.StatusOK)
		assertJSON(t, body["rows"], want)
	})
	t.Run("query parameter", func(t *testing.T) {
		body := f.do("POST", "/v1/db/main/query?int64=string", obj{"sql": "SELECT i, big FROM v ORDER BY id"}).
			expect(t, http.StatusOK)
		assertJSON(t, body["rows"], want)
	})
	t.Run("numbers by default", func(t *testing.T) {
		body := f.do("POST", "/v1/db/main/query?int64=number", obj{"sql": "SELECT big FROM v WHERE id = 1"}).
			expect(t, http.StatusOK)
		assertJSON(t, body["rows"], `[[9007199254740993]]`)
	})
	t.Run("last_insert_id too", func(t *testing.T) {
		body := f.do("POST", "/v1/db/main/exec?int64=string", obj{"statements": []obj{{
			"sql": "INSERT INTO v (id) VALUES (9007199254740999)"}}}).expect(t, http.StatusOK)
		assertJSON(t, body["results"].([]any)[0].(obj)["last_insert_id"], `"9007199254740999"`)
	})
}

func TestQuery_Params(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	cases := []struct {
		name   string
		sql    string
		params string
		want   string
	}{
		{"positional", "SELECT ?, ?, ?, ?", `[1, 2.5, "x", null]`, `[[1,2.5,"x",null]]`},
		{"numbered", "SELECT ?2, ?1", `["a", "b"]`, `[["b","a"]]`},
		{"named without prefix", "SELECT :a, @b, $c", `{"a": 1, "b": "two", "c": false}`, `[[1,"two",0]]`},
		{"named with prefix", "SELECT :a, @b, $c", `{":a": 1, "@b": "two", "$c": true}`, `[[1,"two",1]]`},
		{"blob", "SELECT hex(?), typeof(?1)", `[{"base64": "3q2+7w=="}]`, `[["DEADBEEF","blob"]]`},
		{"integer", "SELECT typeof(?), typeof(?), typeof(?)", `[9223372036854775807, 1.0, 1e3]`, `[["integer","real","real"]]`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := f.do("POST", "/v1/db/main/query", obj{"sql": c.sql, "params": json.RawMessage(c.params)}).
				expect(t, http.StatusOK)
			assertJSON(t, body["rows"], c.want)
		})
	}
}

func TestQuery_Errors(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	f.exec("main", "CREATE TABLE t (id INTEGER PRIMARY KEY)")
	t.Run("a write is refused", func(t *testing.T) {
		f.do("POST", "/v1/db/main/query", obj{"sql": "INSERT INTO t VALUES (1)"}).
			expectError(t, http.StatusBadRequest, engine.CodeReadOnly)
		if rows := f.rows("main", "SELECT * FROM t"); len(rows) != 0 {
			t.Fatalf("the refused write left %v", rows)
		}
	})
	t.Run("syntax error", func(t *testing.T) {
		f.do("POST", "/v1/db/main/query", obj{"sql": "SELEC 1"}).expectError(t, http.StatusBadRequest, engine.CodeSyntax)
	})
	t.Run("unknown table", func(t *testing.T) {
		f.do("POST", "/v1/db/main/query", obj{"sql": "SELECT * FROM nope"}).
			expectError(t, http.StatusBadRequest, engine.CodeSQL, "nope")
	})
	t.Run("unknown database", func(t *testing.T) {
		f.do("POST", "/v1/db/nope/query", obj{"sql": "SELECT 1"}).expectError(t, http.StatusNotFound, engine.CodeNotFound)
	})
	t.Run("integer beyond int64", func(t *testing.T) {
		f.do("POST", "/v1/db/main/query", obj{"sql": "SELECT ?, ?", "params": json.RawMessage(`[1, 9223372036854775808]`)}).
			expectError(t, http.StatusBadRequest, engine.CodeInvalid, "params[1]", "9223372036854775808")
	})
	t.Run("named integer beyond int64", func(t *testing.T) {
		f.do("POST", "/v1/db/main/query", obj{"sql": "SELECT :big", "params": json.RawMessage(`{"big": -99999999999999999999}`)}).
			expectError(t, http.StatusBadRequest, engine.CodeInvalid, "params.big")
	})
	t.Run("bad blob", func(t *testing.T) {
		f.do("POST", "/v1/db/main/query", obj{"sql": "SELECT ?", "params": json.RawMessage(`[{"base64": "!!"}]`)}).
			expectError(t, http.StatusBadRequest, engine.CodeInvalid, "params[0]", "base64")
	})
}

func TestQuery_Bookmark(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	res := f.exec("main", "CREATE TABLE t (x)", "INSERT INTO t VALUES (42)")
	bm, _ := res["bookmark"].(string)
	if bm == "" {
		t.Fatalf("exec returned no bookmark: %v", res)
	}
	body := f.do("POST", "/v1/db/main/query", obj{"sql": "SELECT x FROM t", "bookmark": bm, "consistency": "local"}).
		expect(t, http.StatusOK)
	assertJSON(t, body["rows"], `[[42]]`)
}

// TestExec_Bookmark: writes and transactions take the bookmark of an
// earlier write; one this node has not applied times out, a malformed one is
// refused, and neither runs the statements.
func TestExec_Bookmark(t *testing.T) {
	f := newFixture(t, Config{}, func(c *engine.Config) { c.QueryTimeout = 100 * time.Millisecond })
	res := f.exec("main", "CREATE TABLE t (x)", "INSERT INTO t VALUES (42)")
	bm, _ := res["bookmark"].(string)
	body := f.do("POST", "/v1/db/main/exec", obj{"statements": []obj{{"sql": "UPDATE t SET x = 43"}}, "bookmark": bm}).
		expect(t, http.StatusOK)
	assertJSON(t, body["results"], `[{"rows_affected": 1, "last_insert_id": 0}]`)
	tx := f.do("POST", "/v1/db/main/tx", obj{"bookmark": bm}).expect(t, http.StatusCreated)
	f.do("POST", "/v1/db/main/tx/"+tx["tx_id"].(string)+"/rollback", nil).expect(t, http.StatusNoContent)

	f.do("POST", "/v1/db/main/exec", obj{"statements": []obj{{"sql": "INSERT INTO t VALUES (1)"}}, "bookmark": "elsewhere:1"}).
		expectError(t, http.StatusGatewayTimeout, engine.CodeTimeout, "bookmark")
	f.do("POST", "/v1/db/main/exec", obj{"statements": []obj{{"sql": "INSERT INTO t VALUES (2)"}}, "bookmark": "garbage"}).
		expectError(t, http.StatusBadRequest, engine.CodeInvalid, "bookmark")
	f.do("POST", "/v1/db/main/tx", obj{"bookmark": "garbage"}).
		expectError(t, http.StatusBadRequest, engine.CodeInvalid, "bookmark")
	after := f.do("POST", "/v1/db/main/query", obj{"sql": "SELECT x FROM t"}).expect(t, http.StatusOK)
	assertJSON(t, after["rows"], `[[43]]`)
}

// assertJSON compares got (decoded with UseNumber) with the JSON want,
// numbers digit for digit.
func assertJSON(t *testing.T, got any, want string) {
	t.Helper()
	g, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(strings.NewReader(want))
	dec.UseNumber()
	var w any
	if err := dec.Decode(&w); err != nil {
		t.Fatalf("bad want %s: %v", want, err)
	}
	wb, _ := json.Marshal(w)
	if string(g) != string(wb) {
		t.Fatalf("got  %s\nwant %s", g, wb)
	}
}
