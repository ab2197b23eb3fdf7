package api

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
)

// TestRoutes_MatchSpec checks that the router serves exactly the operations
// of openapi.yaml: every route is in the spec and every operation is routed.
func TestRoutes_MatchSpec(t *testing.T) {
	f := newFixture(t, Config{CORSOrigins: []string{"*"}}, nil)
	var routed []string
	err := chi.Walk(f.srv.handler.(chi.Routes), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		routed = append(routed, method+" "+route)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	_, doc, _ := testSpec(t)
	var specified []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			specified = append(specified, strings.ToUpper(method)+" "+path)
		}
	}
	slices.Sort(routed)
	slices.Sort(specified)
	for _, r := range routed {
		if !slices.Contains(specified, r) {
			t.Errorf("route %s is not in openapi.yaml", r)
		}
	}
	for _, s := range specified {
		if !slices.Contains(routed, s) {
			t.Errorf("openapi.yaml has %s, which the router does not serve", s)
		}
	}
	if len(routed) != len(specified) {
		t.Errorf("%d routes, %d operations", len(routed), len(specified))
	}
}

func TestNew_RefusesSpecMissingARoute(t *testing.T) {
	spec, _, _ := testSpec(t)
	eng := openEngine(t, nil)
	cut := strings.Replace(string(spec), "  /v1/cluster:\n", "  /v1/cluster-gone:\n", 1)
	if _, err := New(eng, Config{Spec: []byte(cut)}); err == nil || !strings.Contains(err.Error(), "/v1/cluster") {
		t.Fatalf("New with a spec lacking /v1/cluster: %v", err)
	}
	if _, err := New(eng, Config{}); err == nil {
		t.Fatal("New without a spec succeeded")
	}
}

func TestRoutes_UnknownPathAndMethod(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	for _, c := range []struct {
		method, path string
		status       int
	}{
		{"GET", "/v1/nope", http.StatusNotFound},
		{"PUT", "/v1/db/main/query", http.StatusMethodNotAllowed},
	} {
		// Off the spec by definition, so served directly; the body is still an error document.
		rec := httptestRecorder(f, c.method, c.path)
		if rec.Status != c.status || !strings.Contains(string(rec.Body), `"error":{"code":`) {
			t.Errorf("%s %s: %d %s", c.method, c.path, rec.Status, rec.Body)
		}
	}
}
