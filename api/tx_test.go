package api

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/warren-db/warren/engine"
)

// begin opens a transaction and returns its id.
func (f *fixture) begin(db string, body any) string {
	f.t.Helper()
	res := f.do("POST", "/v1/db/"+db+"/tx", body)
	b := res.expect(f.t, http.StatusCreated)
	id, _ := b["tx_id"].(string)
	if id == "" {
		f.t.Fatalf("no tx_id in %s", res.Body)
	}
	if loc := res.Header.Get("Location"); loc != "/v1/db/"+db+"/tx/"+id {
		f.t.Errorf("Location %q", loc)
	}
	return id
}

func TestTx_CommitMakesWritesVisible(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	f.exec("main", "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
	id := f.begin("main", nil)
	tx := "/v1/db/main/tx/" + id

	body := f.do("POST", tx+"/exec", obj{"statements": []obj{
		{"sql": "INSERT INTO t VALUES (1, 'a')"},
		{"sql": "INSERT INTO t VALUES (?, ?) RETURNING v", "params": []any{2, "b"}},
	}}).expect(t, http.StatusOK)
	assertJSON(t, body["results"], `[{"rows_affected":1,"last_insert_id":1},`+
		`{"rows_affected":1,"last_insert_id":2,"columns":["v"],"types":["TEXT"],"rows":[["b"]]}]`)
	if _, ok := body["bookmark"]; ok {
		t.Errorf("a transaction's exec has no bookmark yet: %v", body)
	}

	inside := f.do("POST", tx+"/query", obj{"sql": "SELECT count(*) FROM t"}).expect(t, http.StatusOK)
	assertJSON(t, inside["rows"], `[[2]]`)
	assertJSON(t, f.rows("main", "SELECT count(*) FROM t"), `[[0]]`)

	commit := f.do("POST", tx+"/commit", nil).expect(t, http.StatusOK)
	bm, _ := commit["bookmark"].(string)
	if bm == "" {
		t.Fatalf("commit returned no bookmark: %v", commit)
	}
	after := f.do("POST", "/v1/db/main/query", obj{"sql": "SELECT v FROM t ORDER BY id", "bookmark": bm}).
		expect(t, http.StatusOK)
	assertJSON(t, after["rows"], `[["a"],["b"]]`)
	f.do("POST", tx+"/query", obj{"sql": "SELECT 1"}).expectError(t, http.StatusNotFound, engine.CodeTxNotFound)
}

func TestTx_Rollback(t *testing.T) {
	for _, c := range []struct{ method, suffix string }{{"POST", "/rollback"}, {"DELETE", ""}} {
		t.Run(c.method, func(t *testing.T) {
			f := newFixture(t, Config{}, nil)
			f.exec("main", "CREATE TABLE t (id INTEGER PRIMARY KEY)")
			tx := "/v1/db/main/tx/" + f.begin("main", obj{"consistency": "quorum"})
			f.do("POST", tx+"/exec", obj{"statements": []obj{{"sql": "INSERT INTO t VALUES (1)"}}}).expect(t, http.StatusOK)
			f.do(c.method, tx+c.suffix, nil).expect(t, http.StatusNoContent)
			assertJSON(t, f.rows("main", "SELECT count(*) FROM t"), `[[0]]`)
			f.do(c.method, tx+c.suffix, nil).expectError(t, http.StatusNotFound, engine.CodeTxNotFound)
			f.do("POST", tx+"/commit", nil).expectError(t, http.StatusNotFound, engine.CodeTxNotFound)
		})
	}
}

func TestTx_ExecStopsAtFirstFailure(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	f.exec("main", "CREATE TABLE t (id INTEGER PRIMARY KEY)")
	tx := "/v1/db/main/tx/" + f.begin("main", nil)
	f.do("POST", tx+"/exec", obj{"statements": []obj{
		{"sql": "INSERT INTO t VALUES (1)"},
		{"sql": "INSERT INTO t VALUES (1)"},
		{"sql": "INSERT INTO t VALUES (3)"},
	}}).expectError(t, http.StatusConflict, engine.CodeConstraint, "statements[1]")
	inside := f.do("POST", tx+"/query", obj{"sql": "SELECT id FROM t"}).expect(t, http.StatusOK)
	assertJSON(t, inside["rows"], `[[1]]`)
	f.do("POST", tx+"/commit", nil).expect(t, http.StatusOK)
	assertJSON(t, f.rows("main", "SELECT id FROM t"), `[[1]]`)
}

func TestTx_UnknownAndForeignIDs(t *testing.T) {
	rights := map[string]Right{"*": RightWrite}
	f := newFixture(t, Config{Tokens: []Token{
		{Name: "alice", Token: "alice-secret", Rights: rights},
		{Name: "bob", Token: "bob-secret", Rights: rights},
	}}, nil)
	alice, bob := f.as("alice-secret"), f.as("bob-secret")
	alice.do("POST", "/v1/db/main/tx/nope/query", obj{"sql": "SELECT 1"}).
		expectError(t, http.StatusNotFound, engine.CodeTxNotFound)

	alice.exec("main", "CREATE TABLE t (x)")
	id := alice.begin("main", nil)
	bob.do("POST", "/v1/db/main/tx/"+id+"/exec", obj{"statements": []obj{{"sql": "INSERT INTO t VALUES (1)"}}}).
		expectError(t, http.StatusNotFound, engine.CodeTxNotFound)
	bob.do("POST", "/v1/db/main/tx/"+id+"/commit", nil).expectError(t, http.StatusNotFound, engine.CodeTxNotFound)
	bob.do("DELETE", "/v1/db/main/tx/"+id, nil).expectError(t, http.StatusNotFound, engine.CodeTxNotFound)

	if err := f.eng.CreateDatabase("second"); err != nil {
		t.Fatal(err)
	}
	alice.do("POST", "/v1/db/second/tx/"+id+"/query", obj{"sql": "SELECT 1"}).
		expectError(t, http.StatusNotFound, engine.CodeTxNotFound)
	alice.do("POST", "/v1/db/main/tx/"+id+"/rollback", nil).expect(t, http.StatusNoContent)
}

func TestTx_ReadOnly(t *testing.T) {
	f := newFixture(t, Config{Tokens: []Token{
		{Name: "reader", Token: "r", Rights: map[string]Right{"main": RightRead}},
	}}, nil)
	reader := f.as("r")
	reader.do("POST", "/v1/db/main/tx", nil).expectError(t, http.StatusForbidden, engine.CodeForbidden, "write")
	tx := "/v1/db/main/tx/" + reader.begin("main", obj{"read_only": true})
	body := reader.do("POST", tx+"/query", obj{"sql": "SELECT 7"}).expect(t, http.StatusOK)
	assertJSON(t, body["rows"], `[[7]]`)
	reader.do("POST", tx+"/exec", obj{"statements": []obj{{"sql": "CREATE TABLE t (x)"}}}).
		expectError(t, http.StatusBadRequest, engine.CodeReadOnly)
	reader.do("POST", tx+"/commit", nil).expect(t, http.StatusOK)
}

func TestTx_IdleRollbackAnswers404(t *testing.T) {
	f := newFixture(t, Config{}, func(c *engine.Config) { c.TxIdleTimeout = 50 * time.Millisecond })
	f.exec("main", "CREATE TABLE t (x)")
	tx := "/v1/db/main/tx/" + f.begin("main", nil)
	f.do("POST", tx+"/exec", obj{"statements": []obj{{"sql": "INSERT INTO t VALUES (1)"}}}).expect(t, http.StatusOK)
	time.Sleep(150 * time.Millisecond)
	f.do("POST", tx+"/query", obj{"sql": "SELECT 1"}).expectError(t, http.StatusNotFound, engine.CodeTxNotFound)
	assertJSON(t, f.rows("main", "SELECT count(*) FROM t"), `[[0]]`)
	f.srv.txs.mu.Lock()
	n := len(f.srv.txs.open)
	f.srv.txs.mu.Unlock()
	if n != 0 {
		t.Errorf("%d transactions still in the table after the engine ended them", n)
	}
}

func TestServer_CloseRollsBackTransactions(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	f.exec("main", "CREATE TABLE t (x)")
	tx := "/v1/db/main/tx/" + f.begin("main", nil)
	f.do("POST", tx+"/exec", obj{"statements": []obj{{"sql": "INSERT INTO t VALUES (1)"}}}).expect(t, http.StatusOK)
	if err := f.srv.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	rows, err := f.eng.Query(context.Background(), "main", engine.Statement{SQL: "SELECT count(*) FROM t"}, engine.QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n := rows.Rows[0][0]; n != int64(0) {
		t.Fatalf("count %v after close, want 0", n)
	}
	f.do("POST", tx+"/commit", nil).expectError(t, http.StatusNotFound, engine.CodeTxNotFound)
	f.do("POST", "/v1/db/main/tx", nil).expectError(t, http.StatusServiceUnavailable, engine.CodeUnavailable)
}

func TestTxTable_SweepForgetsAbandoned(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	now := time.Now()
	f.srv.txs.now = func() time.Time { return now }
	f.exec("main", "CREATE TABLE t (x)")
	old := f.begin("main", obj{"read_only": true})
	now = now.Add(txForgetAfter + time.Second)
	fresh := f.begin("main", obj{"read_only": true})
	f.do("POST", "/v1/db/main/tx/"+old+"/query", obj{"sql": "SELECT 1"}).
		expectError(t, http.StatusNotFound, engine.CodeTxNotFound)
	f.do("POST", "/v1/db/main/tx/"+fresh+"/query", obj{"sql": "SELECT 1"}).expect(t, http.StatusOK)
}
