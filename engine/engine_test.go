package engine

import (
	"context"
	"log/slog"
	"testing"
	"time"
)

func testConfig(t testing.TB) Config {
	cfg := DefaultConfig()
	cfg.DataDir = t.TempDir()
	cfg.TxIdleTimeout = 2 * time.Second
	cfg.Logger = slog.New(slog.DiscardHandler)
	return cfg
}

func openTest(t testing.TB) *Engine {
	t.Helper()
	e, err := Open(testConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

func mustExec(t testing.TB, e *Engine, sqls ...string) *ExecResponse {
	t.Helper()
	var sts []Statement
	for _, s := range sqls {
		sts = append(sts, Statement{SQL: s})
	}
	resp, err := e.Exec(context.Background(), "main", sts, ExecOptions{})
	if err != nil {
		t.Fatalf("exec %v: %v", sqls, err)
	}
	return resp
}

func mustQuery(t testing.TB, e *Engine, sql string, args ...Value) [][]Value {
	t.Helper()
	rows, err := e.Query(context.Background(), "main", Statement{SQL: sql, Params: Params{Positional: args}}, QueryOptions{})
	if err != nil {
		t.Fatalf("query %s: %v", sql, err)
	}
	return rows.Rows
}

func TestEngine_Smoke(t *testing.T) {
	e := openTest(t)
	mustExec(t, e, "CREATE TABLE kv(id INTEGER PRIMARY KEY, k TEXT UNIQUE, v)")
	resp := mustExec(t, e, "INSERT INTO kv(k, v) VALUES ('a', 1)", "INSERT INTO kv(k, v) VALUES ('b', 2.5)")
	if resp.Results[0].LastInsertID != 1 || resp.Results[1].LastInsertID != 33 {
		t.Fatalf("ids: %+v", resp.Results)
	}
	if resp.Bookmark == "" {
		t.Fatal("no bookmark")
	}
	rows := mustQuery(t, e, "SELECT id, k, v FROM kv ORDER BY id")
	if len(rows) != 2 || rows[1][2] != 2.5 {
		t.Fatalf("rows %v", rows)
	}
	n := mustQuery(t, e, "SELECT count(*) FROM __warren_changes WHERE pos IS NOT NULL")
	if n[0][0] != int64(2) {
		t.Fatalf("changes captured: %v", n)
	}
}
