package api

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
)

// FuzzStreamRequests feeds arbitrary query strings to the parsers of the
// change-feed and live-query requests: they fail cleanly, and what they
// accept is well formed.
func FuzzStreamRequests(f *testing.F) {
	for _, s := range []string{"tables=a,b&ops=c,u&snapshot=true", "ops=x", "snapshot=maybe", "from=12-3",
		"sql=SELECT+1&params=[1,%22a%22]", "sql=SELECT+1&params={%22a%22:1}", "params=[1", "sql=%00", "%zz"} {
		f.Add(s, "")
	}
	f.Add("", "7-1")
	f.Fuzz(func(t *testing.T, query, lastEventID string) {
		if _, err := url.ParseQuery(query); err != nil {
			return
		}
		r := &http.Request{Method: "GET", URL: &url.URL{Path: "/v1/db/main/changes", RawQuery: query},
			Header: http.Header{"Last-Event-Id": {lastEventID}}}
		if req, err := changeRequest(r); err == nil {
			for _, op := range req.Ops {
				if !slices.Contains(changeOps, op) {
					t.Fatalf("accepted op %q", op)
				}
			}
			for _, name := range req.Tables {
				if name == "" {
					t.Fatal("accepted an empty table name")
				}
			}
		}
		_, _ = liveStatement(r)
	})
}
