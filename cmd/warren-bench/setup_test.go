package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"
)

func testSetupConfig(url string) Config {
	cfg := DefaultConfig()
	cfg.URLs = []string{url}
	cfg.Rows = 1234 // three preload batches, the last one partial
	cfg.Token = "secret"
	cfg.Consistency = "quorum"
	return cfg
}

func TestSetup_CreatesAndPreloads(t *testing.T) {
	store := newFakeStore()
	store.token = "secret"
	_, url := startFake(t, store, 0)
	cfg := testSetupConfig(url)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	hc := newHTTPClient(1, 1, time.Second)

	if err := setup(t.Context(), hc, cfg, log); err != nil {
		t.Fatal(err)
	}
	rows, _, _, levels := store.snapshot()
	if rows != 1234 {
		t.Fatalf("after setup: %d rows, want 1234", rows)
	}
	store.mu.Lock()
	if !store.dbs["bench"] {
		t.Errorf("database bench not created: %v", store.dbs)
	}
	for id := int64(1); id <= 1234; id++ {
		if r, ok := store.rows[id]; !ok || len(r.v) != cfg.ValueSize || r.k != fmt.Sprintf("key-%d", id) {
			t.Fatalf("row %d missing or wrong: %+v", id, r)
		}
	}
	store.mu.Unlock()
	// create table + ceil(1234/500) preload execs, all with the level asked.
	if levels["quorum"] != 1+3 || len(levels) != 1 {
		t.Fatalf("consistency levels seen %v, want 4 quorum execs", levels)
	}

	t.Run("second run finds database and rows", func(t *testing.T) {
		if err := setup(t.Context(), hc, cfg, log); err != nil {
			t.Fatal(err)
		}
		if _, _, _, levels := store.snapshot(); levels["quorum"] != 4+1 {
			t.Fatalf("second setup sent %d execs, want only create table", levels["quorum"]-4)
		}
	})
}

func TestSetup_Errors(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	hc := newHTTPClient(1, 1, time.Second)
	t.Run("bad token", func(t *testing.T) {
		store := newFakeStore()
		store.token = "other"
		_, url := startFake(t, store, 0)
		err := setup(t.Context(), hc, testSetupConfig(url), log)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Status != http.StatusUnauthorized || apiErr.Message != "bad token" {
			t.Fatalf("err = %v, want the server's 401", err)
		}
	})
	t.Run("exec refused", func(t *testing.T) {
		store := newFakeStore()
		store.token = "secret"
		store.failStatus = http.StatusServiceUnavailable
		_, url := startFake(t, store, 0)
		err := setup(t.Context(), hc, testSetupConfig(url), log)
		if err == nil || err.Error() != "create table: http 503 unavailable: node is draining" {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestSetup_WaitsForEveryNode(t *testing.T) {
	store := newFakeStore()
	store.token = "secret"
	_, first := startFake(t, store, 0)
	_, lagging := startFake(t, store, 300*time.Millisecond)
	cfg := testSetupConfig(first)
	cfg.URLs = append(cfg.URLs, lagging)
	start := time.Now()
	if err := setup(t.Context(), newHTTPClient(1, 2, time.Second), cfg, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < 300*time.Millisecond {
		t.Fatalf("setup returned after %v, before the second node showed the rows", waited)
	}
}
