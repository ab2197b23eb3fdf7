package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/warren-db/warren/api"
	"github.com/warren-db/warren/cdc"
	"github.com/warren-db/warren/engine"
)

// feedEngine opens an engine with table t holding rows 1 and 2 (written in
// change sets 2 and 3) and returns the API's feed over it.
func feedEngine(t *testing.T) (*engine.Engine, changeFeed) {
	t.Helper()
	cfg := engine.DefaultConfig()
	cfg.DataDir = t.TempDir()
	cfg.Logger = slog.New(slog.DiscardHandler)
	e, err := engine.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	for _, sql := range []string{"CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO t VALUES (1, 'a')", "INSERT INTO t VALUES (2, 'b')"} {
		if _, err := e.Exec(t.Context(), "main", []engine.Statement{{SQL: sql}}, engine.ExecOptions{}); err != nil {
			t.Fatalf("exec %s: %v", sql, err)
		}
	}
	return e, changeFeed{feed: cdc.NewFeed(e, cdc.Options{Cluster: "c"})}
}

// collectEvents opens req and gathers n events.
func collectEvents(t *testing.T, f changeFeed, req api.ChangeRequest, n int) []api.ChangeEvent {
	t.Helper()
	stream, err := f.Open(t.Context(), "main", req)
	if err != nil {
		t.Fatalf("open %+v: %v", req, err)
	}
	var out []api.ChangeEvent
	enough := errors.New("enough")
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	err = stream(ctx, func(ev api.ChangeEvent) error {
		out = append(out, ev)
		if len(out) == n {
			return enough
		}
		return nil
	})
	if !errors.Is(err, enough) {
		t.Fatalf("stream ended with %v after %d events", err, len(out))
	}
	return out
}

func TestChangeFeed_OpenChecksThePosition(t *testing.T) {
	e, f := feedEngine(t)
	head, _ := e.LogHead("main")
	for _, c := range []struct {
		db, from string
		code     engine.Code
	}{
		{"nope", "", engine.CodeNotFound},
		{"main", "x-1", engine.CodeInvalid},
		{"main", "99", engine.CodeInvalid},
	} {
		if _, err := f.Open(t.Context(), c.db, api.ChangeRequest{From: c.from}); engine.ErrorCode(err) != c.code {
			t.Errorf("open %s from %q: %v, want %s", c.db, c.from, err, c.code)
		}
	}
	if _, err := f.Open(t.Context(), "main", api.ChangeRequest{From: "3"}); err != nil || head != 3 {
		t.Fatalf("open at the head (%d): %v", head, err)
	}

	if _, err := e.GC(t.Context(), "main", engine.GCOptions{MinRetention: -time.Hour, MaxRetention: -time.Hour}); err != nil {
		t.Fatal(err)
	}
	_, err := f.Open(t.Context(), "main", api.ChangeRequest{From: "1"})
	if !errors.Is(err, engine.ErrLogTrimmed) {
		t.Fatalf("open at a trimmed position: %v, want ErrLogTrimmed", err)
	}
	if _, err := f.Open(t.Context(), "main", api.ChangeRequest{From: "3"}); err != nil {
		t.Fatalf("open at the head after GC: %v", err)
	}
}

func TestChangeFeed_IdsResumeAndSnapshot(t *testing.T) {
	_, f := feedEngine(t)
	if all := collectEvents(t, f, api.ChangeRequest{From: "0-5"}, 2); all[0].ID != "2-0" {
		t.Fatalf("from 0-5 (before everything) starts at %q", all[0].ID)
	}
	evs := collectEvents(t, f, api.ChangeRequest{From: "1"}, 2)
	if evs[0].ID != "2-0" || evs[1].ID != "3-0" {
		t.Fatalf("ids %q %q", evs[0].ID, evs[1].ID)
	}
	var env struct {
		Op     string `json:"op"`
		Source struct {
			Pos  string `json:"pos"`
			Name string `json:"name"`
		} `json:"source"`
	}
	if err := json.Unmarshal(evs[1].Data, &env); err != nil || env.Op != "c" || env.Source.Pos != "3-0" || env.Source.Name != "c" {
		t.Fatalf("envelope %s: %v", evs[1].Data, err)
	}
	if again := collectEvents(t, f, api.ChangeRequest{From: evs[0].ID, Snapshot: true}, 1); again[0].ID != "3-0" {
		t.Fatalf("resume after %s (a position wins over snapshot): %q", evs[0].ID, again[0].ID)
	}

	snap := collectEvents(t, f, api.ChangeRequest{Snapshot: true, Ops: []string{"r"}}, 2)
	if snap[0].ID != "" || snap[1].ID != "3" || !strings.Contains(string(snap[1].Data), `"snapshot":"last"`) {
		t.Fatalf("snapshot ids %q %q, data %s", snap[0].ID, snap[1].ID, snap[1].Data)
	}
}
