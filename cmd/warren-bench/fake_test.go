package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeRow is one bench_kv row of the fake store.
type fakeRow struct {
	k, v    string
	written time.Time
}

// fakeStore is an in-memory stand-in for a Warren database shared by one or
// more fake nodes. It understands exactly the statements warren-bench sends.
type fakeStore struct {
	mu          sync.Mutex
	token       string
	dbs         map[string]bool
	rows        map[int64]fakeRow
	maxID       int64
	reads       int
	writes      int
	consistency map[string]int
	// failStatus, if set, answers every query and exec with this status.
	failStatus int
	// failOps, if set, answers the workload's point reads and inserts (not
	// the setup statements) with this status.
	failOps int
	// delay slows every query and exec down.
	delay time.Duration
}

func newFakeStore() *fakeStore {
	return &fakeStore{dbs: map[string]bool{}, rows: map[int64]fakeRow{}, consistency: map[string]int{}}
}

// fakeNode serves the store; visibleAfter hides rows younger than that, to
// simulate replication lag on a second node.
type fakeNode struct {
	store        *fakeStore
	visibleAfter time.Duration
	mu           sync.Mutex
	requests     int
}

// startFake starts a fake node over store and returns it with its URL.
func startFake(t *testing.T, store *fakeStore, visibleAfter time.Duration) (*fakeNode, string) {
	t.Helper()
	n := &fakeNode{store: store, visibleAfter: visibleAfter}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/databases", n.createDB)
	mux.HandleFunc("POST /v1/db/{db}/query", n.query)
	mux.HandleFunc("POST /v1/db/{db}/exec", n.exec)
	mux.HandleFunc("GET /v1/db/{db}/changes", n.changes)
	srv := httptest.NewServer(n.auth(mux))
	t.Cleanup(srv.Close)
	return n, srv.URL
}

func (n *fakeNode) requestCount() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.requests
}

func (n *fakeNode) auth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.mu.Lock()
		n.requests++
		n.mu.Unlock()
		if tok := n.store.token; tok != "" && r.Header.Get("Authorization") != "Bearer "+tok {
			fakeError(w, http.StatusUnauthorized, "unauthorized", "bad token")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func fakeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": code, "message": msg}})
}

func fakeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func (n *fakeNode) createDB(w http.ResponseWriter, r *http.Request) {
	var body struct{ Name string }
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Name == "" {
		fakeError(w, http.StatusBadRequest, "bad_request", "name required")
		return
	}
	s := n.store
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dbs[body.Name] {
		fakeError(w, http.StatusConflict, "exists", "database exists")
		return
	}
	s.dbs[body.Name] = true
	w.WriteHeader(http.StatusCreated)
}

// begin decodes the body and checks the database; it reports false after
// answering an error.
func (n *fakeNode) begin(w http.ResponseWriter, r *http.Request, body any) bool {
	s := n.store
	time.Sleep(s.delay)
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	if err := dec.Decode(body); err != nil {
		fakeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failStatus != 0 {
		fakeError(w, s.failStatus, "unavailable", "node is draining")
		return false
	}
	if !s.dbs[r.PathValue("db")] {
		fakeError(w, http.StatusNotFound, "no_database", "no such database")
		return false
	}
	return true
}

func (n *fakeNode) visible(row fakeRow) bool {
	return time.Since(row.written) >= n.visibleAfter
}

func (n *fakeNode) query(w http.ResponseWriter, r *http.Request) {
	var req struct {
		SQL    string
		Params []json.Number
	}
	if !n.begin(w, r, &req) {
		return
	}
	if len(req.Params) != 1 {
		fakeError(w, http.StatusBadRequest, "bad_request", "want one parameter")
		return
	}
	if n.store.failsOp(req.SQL) {
		fakeError(w, n.store.failOps, "unavailable", "node is draining")
		return
	}
	p, _ := req.Params[0].Int64()
	rows, err := n.answer(req.SQL, p)
	if err != nil {
		fakeError(w, http.StatusBadRequest, "sql", err.Error())
		return
	}
	fakeJSON(w, map[string]any{"columns": []string{"c"}, "types": []string{"TEXT"}, "rows": rows})
}

func (n *fakeNode) answer(sql string, p int64) ([][]any, error) {
	s := n.store
	s.mu.Lock()
	defer s.mu.Unlock()
	switch sql {
	case sqlCountRange:
		count := 0
		for id, row := range s.rows {
			if id >= 1 && id <= p && n.visible(row) {
				count++
			}
		}
		return [][]any{{count}}, nil
	case sqlPointRead, sqlVisible:
		s.reads++
		row, ok := s.rows[p]
		if !ok || !n.visible(row) {
			return [][]any{}, nil
		}
		if sql == sqlVisible {
			return [][]any{{fmt.Sprint(p)}}, nil // 64-bit-safe string form
		}
		return [][]any{{row.k, row.v}}, nil
	}
	return nil, fmt.Errorf("unknown query %q", sql)
}

func (n *fakeNode) exec(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Statements []struct {
			SQL    string
			Params []any
		}
		Transaction bool
		Consistency *string
	}
	if !n.begin(w, r, &req) {
		return
	}
	if !req.Transaction {
		fakeError(w, http.StatusBadRequest, "bad_request", "transaction must be true")
		return
	}
	if len(req.Statements) > 0 && n.store.failsOp(req.Statements[0].SQL) {
		fakeError(w, n.store.failOps, "unavailable", "node is draining")
		return
	}
	s := n.store
	s.mu.Lock()
	defer s.mu.Unlock()
	level := "<omitted>"
	if req.Consistency != nil {
		level = *req.Consistency
	}
	s.consistency[level]++
	var results []map[string]int64
	for _, st := range req.Statements {
		res, err := s.apply(st.SQL, st.Params)
		if err != nil {
			fakeError(w, http.StatusBadRequest, "sql", err.Error())
			return
		}
		results = append(results, res)
	}
	fakeJSON(w, map[string]any{"results": results, "bookmark": "b1"})
}

// apply runs one write statement; the caller holds s.mu.
func (s *fakeStore) apply(sql string, params []any) (map[string]int64, error) {
	switch {
	case sql == sqlCreateTable:
		return map[string]int64{"rows_affected": 0}, nil
	case sql == sqlPreload && len(params) == 3:
		id, _ := params[0].(json.Number).Int64()
		if _, ok := s.rows[id]; ok {
			return map[string]int64{"rows_affected": 0}, nil
		}
		s.put(id, params[1], params[2])
		return map[string]int64{"rows_affected": 1, "last_insert_id": id}, nil
	case sql == sqlInsert && len(params) == 2:
		s.writes++
		id := s.maxID + 1
		s.put(id, params[0], params[1])
		return map[string]int64{"rows_affected": 1, "last_insert_id": id}, nil
	}
	return nil, fmt.Errorf("unknown statement %q with %d params", sql, len(params))
}

func (s *fakeStore) put(id int64, k, v any) {
	s.rows[id] = fakeRow{k: fmt.Sprint(k), v: fmt.Sprint(v), written: time.Now()}
	s.maxID = max(s.maxID, id)
}

// failsOp reports whether sql is a workload statement to refuse.
func (s *fakeStore) failsOp(sql string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failOps != 0 && (sql == sqlPointRead || sql == sqlInsert)
}

// setFail makes every later query and exec answer status (0: none).
func (s *fakeStore) setFail(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failStatus = status
}

// snapshot returns counters under the lock.
func (s *fakeStore) snapshot() (rows, reads, writes int, levels map[string]int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	levels = map[string]int{}
	for k, v := range s.consistency {
		levels[k] = v
	}
	return len(s.rows), s.reads, s.writes, levels
}

// benchArgs returns fast flags for a run against url, plus extra.
func benchArgs(url string, extra ...string) []string {
	args := []string{"-url", url, "-duration", "250ms", "-warmup", "50ms",
		"-concurrency", "4", "-rows", "40", "-json"}
	return append(args, extra...)
}

// runBench runs the program and decodes its JSON summary.
func runBench(t *testing.T, args ...string) (Summary, int, string) {
	t.Helper()
	var stdout, stderr strings.Builder
	code := run(t.Context(), args, &stdout, &stderr)
	var s Summary
	if stdout.Len() > 0 {
		if err := json.Unmarshal([]byte(stdout.String()), &s); err != nil {
			t.Fatalf("decode summary %q: %v (stderr: %s)", stdout.String(), err, stderr.String())
		}
	}
	return s, code, stderr.String()
}

// changes serves the SSE change feed: an event for each row written after
// the stream opened, once it is visible on this node.
func (n *fakeNode) changes(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	flusher := w.(http.Flusher)
	flusher.Flush()
	n.store.mu.Lock()
	next := n.store.maxID + 1
	n.store.mu.Unlock()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
		}
		for {
			n.store.mu.Lock()
			row, ok := n.store.rows[next]
			n.store.mu.Unlock()
			if !ok || !n.visible(row) {
				break
			}
			fmt.Fprintf(w, "id: %d-0\nevent: change\ndata: {\"after\":{\"id\":%d,\"k\":%q},\"op\":\"c\"}\n\n", next, next, row.k)
			flusher.Flush()
			next++
		}
	}
}
