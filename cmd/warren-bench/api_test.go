package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestAPIClient_NonJSONError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "upstream gone", http.StatusBadGateway)
	}))
	defer srv.Close()
	a := newAPIClient(newHTTPClient(1, 1, time.Second), srv.URL, "my db", "")
	_, err := a.query(t.Context(), "SELECT 1")
	if err == nil || err.Error() != "http 502: upstream gone" {
		t.Fatalf("err = %v", err)
	}
	if a.queryURL != srv.URL+"/v1/db/my%20db/query" {
		t.Fatalf("query URL %s", a.queryURL)
	}
}

func TestFlexInt(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
	}{{`5`, 5}, {`"9007199254740993"`, 9007199254740993}, {`null`, 0}} {
		var f flexInt
		if err := json.Unmarshal([]byte(tc.in), &f); err != nil || int64(f) != tc.want {
			t.Errorf("%s -> %d, %v", tc.in, f, err)
		}
	}
	var f flexInt
	if err := json.Unmarshal([]byte(`"x"`), &f); err == nil {
		t.Error("non-numeric string accepted")
	}
}
