package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const testToken = "test-token-0123456789abcdef"

// startMain runs the real program in-process on a free loopback port.
func startMain(t *testing.T) (*Main, *syncBuffer) {
	t.Helper()
	file := writeConfig(t, `
[[tokens]]
name = "test"
token = "`+testToken+`"
rights = { "*" = "admin" }
`)
	var logs syncBuffer
	m := NewMain()
	m.LogOutput = &logs
	if err := m.ParseFlags(append(nodeArgs(t), "--config", file, "--shutdown-timeout", "2s")); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		_ = m.Close()
		t.Fatalf("Run: %v\n%s", err, logs.String())
	}
	t.Cleanup(func() { _ = m.Close() })
	return m, &logs
}

// call sends a JSON request to the node and decodes the JSON answer.
func call(t *testing.T, m *Main, method, path, token string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, "http://"+m.HTTPAddr()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	data, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(data, &out)
	return resp.StatusCode, out
}

func TestMain_Run(t *testing.T) {
	m, logs := startMain(t)
	if _, port, _ := net.SplitHostPort(m.HTTPAddr()); port == "0" || port == "" {
		t.Fatalf("HTTPAddr() = %q, want the real port", m.HTTPAddr())
	}
	if !strings.Contains(logs.String(), "addr="+m.HTTPAddr()) {
		t.Errorf("log does not name the listening address %s:\n%s", m.HTTPAddr(), logs.String())
	}
	if strings.Contains(logs.String(), "HTTP API is open") {
		t.Errorf("log warns of an open API although a token is configured")
	}

	resp, err := http.Get("http://" + m.HTTPAddr() + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /readyz = %d, want 200", resp.StatusCode)
	}

	exec := map[string]any{"statements": []map[string]any{
		{"sql": "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"},
		{"sql": "INSERT INTO t (v) VALUES (?)", "params": []any{"hello"}},
	}}
	if code, _ := call(t, m, "POST", "/v1/db/main/exec", "", exec); code != http.StatusUnauthorized {
		t.Errorf("exec without a token = %d, want 401", code)
	}
	if code, body := call(t, m, "POST", "/v1/db/main/exec", testToken, exec); code != http.StatusOK {
		t.Fatalf("exec = %d %v, want 200", code, body)
	}
	code, body := call(t, m, "POST", "/v1/db/main/query", testToken, map[string]any{"sql": "SELECT v FROM t"})
	if code != http.StatusOK {
		t.Fatalf("query = %d %v, want 200", code, body)
	}
	if rows, _ := json.Marshal(body["rows"]); string(rows) != `[["hello"]]` {
		t.Errorf("query rows = %s, want [[\"hello\"]]", rows)
	}
	if _, err := os.Stat(filepath.Join(m.Config.DataDir, "main.db")); err != nil {
		t.Errorf("default database file: %v", err)
	}

	if err := m.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := m.ready(); err != errShuttingDown {
		t.Errorf("ready() after Close = %v, want %v", err, errShuttingDown)
	}
	if _, err := http.Get("http://" + m.HTTPAddr() + "/readyz"); err == nil {
		t.Errorf("the HTTP server still answers after Close")
	}
	if err := m.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestMain_WarnsWhenOpen(t *testing.T) {
	var logs syncBuffer
	m := NewMain()
	m.LogOutput = &logs
	if err := m.ParseFlags(nodeArgs(t)); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "HTTP API is open: no tokens configured") {
		t.Errorf("no warning about the open API:\n%s", logs.String())
	}
}

// TestRun_StopsOnCancel runs the whole command as main does; canceling the
// context is what SIGINT and SIGTERM do.
func TestRun_StopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, nodeArgs(t), nil, &stdout, &stderr)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stderr.String(), "http api listening") {
		if time.Now().After(deadline) {
			t.Fatalf("the node did not start:\n%s", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit status %d, want 0:\n%s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the node did not stop")
	}
	if !strings.Contains(stderr.String(), "msg=stopped") {
		t.Errorf("log does not say the node stopped:\n%s", stderr.String())
	}
}

func TestRun_PortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var stdout, stderr bytes.Buffer
	args := append(nodeArgs(t), "--http-addr", ln.Addr().String())
	code := run(context.Background(), args, nil, &stdout, &stderr)
	if code != exitFailed {
		t.Errorf("exit status %d, want %d", code, exitFailed)
	}
	if !strings.Contains(stderr.String(), "listen http") {
		t.Errorf("stderr does not explain the failure: %s", stderr.String())
	}
}
