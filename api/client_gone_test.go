package api

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/warren-db/warren/engine"
)

// A query whose client goes away is interrupted: with one read connection
// and a 60 s query time limit, a second query can only run if the first
// one stopped when its client left.
func TestQuery_ClientGoneInterruptsIt(t *testing.T) {
	f := newFixture(t, Config{}, func(c *engine.Config) {
		c.ReadConns = 1
		c.QueryTimeout = time.Minute
	})
	ts := httptest.NewServer(f.srv)
	defer ts.Close()
	post := func(ctx context.Context, sql string) (*http.Response, error) {
		req, err := http.NewRequestWithContext(ctx, "POST", ts.URL+"/v1/db/main/query",
			strings.NewReader(fmt.Sprintf(`{"sql": %q}`, sql)))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		return ts.Client().Do(req)
	}

	ctx, leave := context.WithCancel(context.Background())
	go func() {
		time.Sleep(200 * time.Millisecond) // let the query start
		leave()
	}()
	if _, err := post(ctx, "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r) SELECT count(*) FROM r"); err == nil {
		t.Fatal("the endless query answered")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := post(ctx, "SELECT 1")
	if err != nil {
		t.Fatalf("query after a client left its endless one: %v (that one still holds the read connection)", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("query after a client left its endless one: status %d", resp.StatusCode)
	}
}
