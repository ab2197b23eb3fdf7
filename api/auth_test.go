package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/warren-db/warren/engine"
)

// authFixture has tokens with every kind of right.
func authFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t, Config{Tokens: []Token{
		{Name: "reader", Token: "read-main", Rights: map[string]Right{"main": RightRead}},
		{Name: "writer", Token: "write-main", Rights: map[string]Right{"main": RightWrite}},
		{Name: "admin", Token: "admin-all", Rights: map[string]Right{AllDatabases: RightAdmin}},
		{Name: "mixed", Token: "mixed", Rights: map[string]Right{AllDatabases: RightRead, "other": RightWrite}},
	}}, nil)
	f.as("admin-all").do("POST", "/v1/databases", obj{"name": "other"}).expect(t, http.StatusCreated)
	f.as("admin-all").exec("main", "CREATE TABLE t (x)")
	f.as("admin-all").exec("other", "CREATE TABLE t (x)")
	return f
}

func TestAuth_Tokens(t *testing.T) {
	f := authFixture(t)
	query := obj{"sql": "SELECT count(*) FROM t"}
	insert := obj{"statements": []obj{{"sql": "INSERT INTO t VALUES (1)"}}}

	t.Run("no token", func(t *testing.T) {
		res := f.do("POST", "/v1/db/main/query", query)
		res.expectError(t, http.StatusUnauthorized, engine.CodeUnauthorized)
		if !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("WWW-Authenticate %q", res.Header.Get("WWW-Authenticate"))
		}
	})
	t.Run("unknown token", func(t *testing.T) {
		f.as("guess").do("POST", "/v1/db/main/query", query).expectError(t, http.StatusUnauthorized, engine.CodeUnauthorized)
	})
	t.Run("not a bearer", func(t *testing.T) {
		f.do("POST", "/v1/db/main/query", query, withHeader("Authorization", "Basic cmVhZC1tYWlu")).
			expectError(t, http.StatusUnauthorized, engine.CodeUnauthorized)
	})
	t.Run("scheme is case-insensitive", func(t *testing.T) {
		f.do("POST", "/v1/db/main/query", query, withHeader("Authorization", "bearer read-main")).expect(t, http.StatusOK)
	})
	t.Run("read token reads its database", func(t *testing.T) {
		f.as("read-main").do("POST", "/v1/db/main/query", query).expect(t, http.StatusOK)
	})
	t.Run("read token cannot write", func(t *testing.T) {
		f.as("read-main").do("POST", "/v1/db/main/exec", insert).expectError(t, http.StatusForbidden, engine.CodeForbidden, "write")
	})
	t.Run("read token cannot read another database", func(t *testing.T) {
		f.as("read-main").do("POST", "/v1/db/other/query", query).expectError(t, http.StatusForbidden, engine.CodeForbidden, "other")
	})
	t.Run("write token writes its database only", func(t *testing.T) {
		f.as("write-main").do("POST", "/v1/db/main/exec", insert).expect(t, http.StatusOK)
		f.as("write-main").do("POST", "/v1/db/other/exec", insert).expectError(t, http.StatusForbidden, engine.CodeForbidden)
	})
	t.Run("star and a specific right combine", func(t *testing.T) {
		m := f.as("mixed")
		m.do("POST", "/v1/db/main/query", query).expect(t, http.StatusOK)
		m.do("POST", "/v1/db/main/exec", insert).expectError(t, http.StatusForbidden, engine.CodeForbidden)
		m.do("POST", "/v1/db/other/exec", insert).expect(t, http.StatusOK)
	})
	t.Run("an unknown database is forbidden, not revealed", func(t *testing.T) {
		f.as("read-main").do("POST", "/v1/db/ghost/query", query).expectError(t, http.StatusForbidden, engine.CodeForbidden)
		f.as("admin-all").do("POST", "/v1/db/ghost/query", query).expectError(t, http.StatusNotFound, engine.CodeNotFound)
	})
	t.Run("auth comes before validation", func(t *testing.T) {
		f.do("POST", "/v1/db/main/query", obj{"bogus": 1}).expectError(t, http.StatusUnauthorized, engine.CodeUnauthorized)
	})
}

func TestAuth_Admin(t *testing.T) {
	f := authFixture(t)
	for _, tok := range []string{"read-main", "write-main"} {
		f.as(tok).do("POST", "/v1/databases", obj{"name": "main2"}).expectError(t, http.StatusForbidden, engine.CodeForbidden, "admin")
		f.as(tok).do("DELETE", "/v1/databases/main", nil).expectError(t, http.StatusForbidden, engine.CodeForbidden, "admin")
		f.as(tok).do("GET", "/v1/db/main/backup", nil).expectError(t, http.StatusForbidden, engine.CodeForbidden, "admin")
	}
	admin := f.as("admin-all")
	admin.do("POST", "/v1/databases", obj{"name": "main2"}).expect(t, http.StatusCreated)
	admin.do("DELETE", "/v1/databases/main2", nil).expect(t, http.StatusNoContent)
}

func TestAuth_ListAndClusterNeedSomeRight(t *testing.T) {
	f := authFixture(t)
	f.do("GET", "/v1/databases", nil).expectError(t, http.StatusUnauthorized, engine.CodeUnauthorized)
	f.do("GET", "/v1/cluster", nil).expectError(t, http.StatusUnauthorized, engine.CodeUnauthorized)
	body := f.as("read-main").do("GET", "/v1/databases", nil).expect(t, http.StatusOK)
	dbs := body["databases"].([]any)
	if len(dbs) != 1 || dbs[0].(obj)["name"] != "main" {
		t.Errorf("reader of main sees %v, want only main", dbs)
	}
	body = f.as("admin-all").do("GET", "/v1/databases", nil).expect(t, http.StatusOK)
	if n := len(body["databases"].([]any)); n != 2 {
		t.Errorf("admin sees %d databases, want 2", n)
	}
	f.as("read-main").do("GET", "/v1/cluster", nil).expect(t, http.StatusOK)
}

func TestAuth_PublicRoutes(t *testing.T) {
	f := authFixture(t)
	for _, p := range []string{"/healthz", "/readyz", "/openapi.yaml"} {
		f.do("GET", p, nil).expect(t, http.StatusOK)
	}
}

func TestAuth_OpenWithoutTokens(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	f.do("POST", "/v1/databases", obj{"name": "x"}).expect(t, http.StatusCreated)
	f.as("anything").do("POST", "/v1/db/x/query", obj{"sql": "SELECT 1"}).expect(t, http.StatusOK)
}

func TestNew_RejectsBadTokens(t *testing.T) {
	spec, _, _ := testSpec(t)
	eng := openEngine(t, nil)
	for name, toks := range map[string][]Token{
		"empty secret": {{Name: "a", Token: ""}},
		"duplicate":    {{Name: "a", Token: "s"}, {Name: "b", Token: "s"}},
		"bad right":    {{Name: "a", Token: "s", Rights: map[string]Right{"*": Right(9)}}},
	} {
		if _, err := New(eng, Config{Spec: spec, Tokens: toks}); err == nil {
			t.Errorf("%s: New accepted %v", name, toks)
		} else if strings.Contains(err.Error(), "\"s\"") {
			t.Errorf("%s: the error shows the secret: %v", name, err)
		}
	}
}

func TestRight_Text(t *testing.T) {
	for _, want := range []Right{RightRead, RightWrite, RightAdmin} {
		b, _ := want.MarshalText()
		var got Right
		if err := got.UnmarshalText([]byte(strings.ToUpper(string(b)))); err != nil || got != want {
			t.Errorf("round trip of %v: %v, %v", want, got, err)
		}
	}
	var r Right
	if err := r.UnmarshalText([]byte("none")); err == nil {
		t.Error(`"none" parsed as a right`)
	}
}
