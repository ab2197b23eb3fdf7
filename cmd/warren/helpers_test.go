package main

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// writeConfig writes a TOML config file into a temporary directory.
func writeConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "warren.toml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// nodeArgs are the flags of a test node: a fresh data dir, and every door on
// a free loopback port (doors this build does not serve yet included, so the
// tests stay right when they arrive).
func nodeArgs(t testing.TB) []string {
	return []string{"--data-dir", t.TempDir(), "--http-addr", "127.0.0.1:0",
		"--mysql-addr", "127.0.0.1:0", "--gossip-addr", "127.0.0.1:0", "--quic-addr", "127.0.0.1:0"}
}

// parse runs ParseFlags with env and args, failing the test on error.
func parse(t *testing.T, env []string, args ...string) Config {
	t.Helper()
	m := NewMain()
	m.Env = env
	if err := m.ParseFlags(args); err != nil {
		t.Fatalf("ParseFlags(%q): %v", args, err)
	}
	return m.Config
}

// parseErr runs ParseFlags and returns its error, which must be a *ConfigError.
func parseErr(t *testing.T, env []string, args ...string) *ConfigError {
	t.Helper()
	m := NewMain()
	m.Env = env
	err := m.ParseFlags(args)
	ce, ok := err.(*ConfigError)
	if !ok {
		t.Fatalf("ParseFlags(%q) = %v, want a *ConfigError", args, err)
	}
	return ce
}

// syncBuffer is a bytes.Buffer safe for a logger and a test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
