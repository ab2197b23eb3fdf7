package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// preflight sends a CORS preflight for a POST from origin.
func (f *fixture) preflight(path, origin string) *response {
	f.t.Helper()
	req := httptest.NewRequest(http.MethodOptions, path, nil)
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
	return f.send(req, nil)
}

func TestCORS(t *testing.T) {
	const app = "https://app.example"
	query := obj{"sql": "SELECT 1"}
	t.Run("listed origin", func(t *testing.T) {
		f := newFixture(t, Config{CORSOrigins: []string{app}, Tokens: []Token{{Token: "s", Rights: map[string]Right{"*": RightRead}}}}, nil)
		res := f.preflight("/v1/db/main/query", app)
		if got := res.Header.Get("Access-Control-Allow-Origin"); got != app {
			t.Errorf("preflight Allow-Origin %q, want %q", got, app)
		}
		if got := strings.ToLower(res.Header.Get("Access-Control-Allow-Headers")); !strings.Contains(got, "authorization") || !strings.Contains(got, "content-type") {
			t.Errorf("preflight Allow-Headers %q", got)
		}
		if got := res.Header.Get("Access-Control-Allow-Methods"); got != "POST" {
			t.Errorf("preflight Allow-Methods %q", got)
		}
		if res.Header.Get("Access-Control-Allow-Credentials") != "" {
			t.Error("credentials must not be allowed: auth is a bearer header")
		}
		got := f.as("s").do("POST", "/v1/db/main/query", query, withHeader("Origin", app))
		got.expect(t, http.StatusOK)
		if got.Header.Get("Access-Control-Allow-Origin") != app {
			t.Errorf("response Allow-Origin %q", got.Header.Get("Access-Control-Allow-Origin"))
		}
	})
	t.Run("other origin", func(t *testing.T) {
		f := newFixture(t, Config{CORSOrigins: []string{app}}, nil)
		if got := f.preflight("/v1/db/main/query", "https://evil.example").Header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("unlisted origin allowed: %q", got)
		}
	})
	t.Run("any origin", func(t *testing.T) {
		f := newFixture(t, Config{CORSOrigins: []string{"*"}}, nil)
		if got := f.preflight("/v1/db/main/exec", "https://x.example").Header.Get("Access-Control-Allow-Origin"); got != "*" {
			t.Errorf("Allow-Origin %q, want *", got)
		}
	})
	t.Run("off", func(t *testing.T) {
		f := newFixture(t, Config{}, nil)
		res := f.do("POST", "/v1/db/main/query", query, withHeader("Origin", app))
		res.expect(t, http.StatusOK)
		if got := res.Header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("CORS is off but Allow-Origin is %q", got)
		}
	})
}
