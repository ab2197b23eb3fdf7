package api

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/warren-db/warren/engine"
)

// specVerdict returns the spec's verdict on a request (nil: valid).
func (f *fixture) specVerdict(method, path, body string) error {
	f.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	route, params, err := f.router.FindRoute(req)
	if err != nil {
		f.t.Fatalf("%s %s not in spec: %v", method, path, err)
	}
	return f.validateRequest(req, []byte(body), route, params)
}

// TestValidation_HandChecksMatchSpec feeds the same bad bodies to the
// spec and to the server: both must refuse each, and the server's message
// must name the field. The hot routes check by hand, the others through
// kin-openapi; the table covers both.
func TestValidation_HandChecksMatchSpec(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	const q, x, tx, dbs = "/v1/db/main/query", "/v1/db/main/exec", "/v1/db/main/tx", "/v1/databases"
	cases := []struct{ path, body, field string }{
		{q, `{}`, "sql"},
		{q, `{"sql": ""}`, "sql"},
		{q, `{"sql": 5}`, "sql"},
		{q, `{"sql": "SELECT 1", "params": 5}`, "params"},
		{q, `{"sql": "SELECT 1", "params": "a"}`, "params"},
		{q, `{"sql": "SELECT ?", "params": [[1]]}`, "params[0]"},
		{q, `{"sql": "SELECT ?", "params": [{"x": "AA=="}]}`, "params[0]"},
		{q, `{"sql": "SELECT ?", "params": [{"base64": 5}]}`, "params[0]"},
		{q, `{"sql": "SELECT :a", "params": {"a": [1]}}`, "params.a"},
		{q, `{"sql": "SELECT 1", "consistency": "strong"}`, "consistency"},
		{q, `{"sql": "SELECT 1", "consistency": "QUORUM"}`, "consistency"},
		{q, `{"sql": "SELECT 1", "bookmark": 5}`, "bookmark"},
		{q, `{"sql": "SELECT 1", "int64_as_string": "yes"}`, "int64_as_string"},
		{q, `{"sql": "SELECT 1", "extra": 1}`, "extra"},
		{q + "?int64=big", `{"sql": "SELECT 1"}`, "int64"},
		{q, `[]`, "object"},
		{x, `{}`, "statements"},
		{x, `{"statements": []}`, "statements"},
		{x, `{"statements": {}}`, "statements"},
		{x, `{"statements": [null]}`, "statements[0]"},
		{x, `{"statements": [{"params": []}]}`, "sql"},
		{x, `{"statements": [{"sql": "SELECT 1", "extra": 1}]}`, "extra"},
		{x, `{"statements": [{"sql": "SELECT 1"}], "transaction": "no"}`, "transaction"},
		{x, `{"statements": [{"sql": "SELECT 1"}], "consistency": "two"}`, "consistency"},
		{x, `{"statements": [{"sql": "SELECT 1"}], "consistency": "local"}`, "consistency"},
		{x, `{"sql": "SELECT 1"}`, "sql"},
		{x, `{"statements": [{"sql": "SELECT 1"}], "bookmark": 5}`, "bookmark"},
		{tx, `{"bookmark": ["n1:1"]}`, "bookmark"},
		{tx, `{"read_only": "yes"}`, "read_only"},
		{tx, `{"consistency": "local"}`, "consistency"},
		{tx, `{"bogus": true}`, "bogus"},
		{dbs, `{}`, "name"},
		{dbs, `{"name": 5}`, "name"},
		{dbs, `{"name": ""}`, "name"},
	}
	for _, c := range cases {
		t.Run(c.path+" "+c.body, func(t *testing.T) {
			if f.specVerdict("POST", c.path, c.body) == nil {
				t.Fatalf("the spec accepts %s", c.body)
			}
			f.do("POST", c.path, c.body).expectError(t, http.StatusBadRequest, engine.CodeInvalid, c.field)
		})
	}
}

// TestValidation_NullIsAbsent checks that both sides accept null optional fields.
func TestValidation_NullIsAbsent(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	for _, c := range []struct{ path, body string }{
		{"/v1/db/main/query", `{"sql": "SELECT 1", "params": null, "consistency": null, "bookmark": null, "int64_as_string": null}`},
		{"/v1/db/main/exec", `{"statements": [{"sql": "SELECT 1", "params": null}], "transaction": null, "consistency": null, "bookmark": null}`},
		{"/v1/db/main/query", `{"sql": "SELECT ?, ?", "params": [true, {"base64": ""}], "consistency": "quorum"}`},
	} {
		if err := f.specVerdict("POST", c.path, c.body); err != nil {
			t.Errorf("the spec refuses %s: %v", c.body, err)
		}
		f.do("POST", c.path, c.body).expect(t, http.StatusOK)
	}
}

func TestLimits_BodyTooLarge(t *testing.T) {
	f := newFixture(t, Config{MaxBodyBytes: 1024}, nil)
	big := `{"sql": "SELECT '` + strings.Repeat("x", 2000) + `'"}`
	t.Run("declared length", func(t *testing.T) {
		f.do("POST", "/v1/db/main/query", big).expectError(t, http.StatusRequestEntityTooLarge, engine.CodeTooLarge, "1024")
	})
	t.Run("streamed body", func(t *testing.T) {
		for _, path := range []string{"/v1/db/main/query", "/v1/db/main/tx"} {
			req := httptest.NewRequest("POST", path, io.MultiReader(strings.NewReader(big)))
			req.Header.Set("Content-Type", "application/json")
			if req.ContentLength > 0 {
				t.Fatalf("the request declares its length %d", req.ContentLength)
			}
			f.send(req, []byte(big)).expectError(t, http.StatusRequestEntityTooLarge, engine.CodeTooLarge)
		}
	})
	t.Run("just under the limit", func(t *testing.T) {
		ok := `{"sql": "SELECT '` + strings.Repeat("x", 900) + `'"}`
		f.do("POST", "/v1/db/main/query", ok).expect(t, http.StatusOK)
	})
}

func TestLimits_TooManyStatements(t *testing.T) {
	f := newFixture(t, Config{MaxStatements: 3}, nil)
	sts := func(n int) obj {
		list := make([]obj, n)
		for i := range list {
			list[i] = obj{"sql": "SELECT 1"}
		}
		return obj{"statements": list}
	}
	f.do("POST", "/v1/db/main/exec", sts(3)).expect(t, http.StatusOK)
	f.do("POST", "/v1/db/main/exec", sts(4)).expectError(t, http.StatusRequestEntityTooLarge, engine.CodeTooLarge, "4", "3")
	tx := "/v1/db/main/tx/" + f.begin("main", nil)
	f.do("POST", tx+"/exec", sts(4)).expectError(t, http.StatusRequestEntityTooLarge, engine.CodeTooLarge)
	f.do("POST", tx+"/rollback", nil).expect(t, http.StatusNoContent)
}

func TestLimits_DefaultsApply(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	if f.srv.maxBody != DefaultMaxBodyBytes || f.srv.maxStatements != DefaultMaxStatements {
		t.Fatalf("limits %d, %d; want the defaults", f.srv.maxBody, f.srv.maxStatements)
	}
}

func TestBody_Malformed(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	cases := []struct{ name, body, want string }{
		{"truncated", `{"sql": "SELECT 1"`, "malformed JSON"},
		{"syntax", `{"sql": "SELECT 1",}`, "malformed JSON at byte"},
		{"trailing data", `{"sql": "SELECT 1"} {}`, "after the end"},
		{"empty", ``, "empty"},
		{"not JSON", `sql=SELECT 1`, "malformed JSON"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f.do("POST", "/v1/db/main/query", c.body).expectError(t, http.StatusBadRequest, engine.CodeInvalid, c.want)
		})
	}
	t.Run("content type", func(t *testing.T) {
		f.do("POST", "/v1/db/main/query", `{"sql": "SELECT 1"}`, withHeader("Content-Type", "text/plain")).
			expectError(t, http.StatusBadRequest, engine.CodeInvalid, "Content-Type")
		f.do("POST", "/v1/db/main/query", `{"sql": "SELECT 1"}`, withHeader("Content-Type", "application/json; charset=utf-8")).
			expect(t, http.StatusOK)
	})
	t.Run("begin without a body", func(t *testing.T) {
		req := httptest.NewRequest("POST", "/v1/db/main/tx", bytes.NewReader(nil))
		id := f.send(req, nil).expect(t, http.StatusCreated)["tx_id"].(string)
		f.do("DELETE", "/v1/db/main/tx/"+id, nil).expect(t, http.StatusNoContent)
	})
}
