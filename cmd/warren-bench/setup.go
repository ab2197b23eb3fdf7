package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

const (
	// preloadBatch is the number of rows per exec while preloading.
	preloadBatch = 500
	// visibleTimeout bounds the wait for preloaded rows on every node.
	visibleTimeout = 60 * time.Second
	// visiblePoll is the pause between two visibility checks during setup.
	visiblePoll = 100 * time.Millisecond
)

// setup prepares the database for cfg: creates the database and table,
// preloads ids 1..cfg.Rows on the first node and waits until every node
// sees them.
func setup(ctx context.Context, hc *http.Client, cfg Config, log *slog.Logger) error {
	first := newAPIClient(hc, cfg.URLs[0], cfg.DB, cfg.Token)
	if err := createDatabase(ctx, first, cfg.DB); err != nil {
		return err
	}
	create := execRequest{Statements: []statement{{SQL: sqlCreateTable}}, Transaction: true, Consistency: cfg.Consistency}
	if _, err := first.exec(ctx, create); err != nil {
		return fmt.Errorf("create table: %w", err)
	}
	if err := preload(ctx, first, cfg, log); err != nil {
		return err
	}
	for _, u := range cfg.URLs {
		node := newAPIClient(hc, u, cfg.DB, cfg.Token)
		if err := waitPreloaded(ctx, node, cfg.Rows); err != nil {
			return fmt.Errorf("wait for preloaded rows on %s: %w", u, err)
		}
	}
	return nil
}

// createDatabase creates db; an existing database (409) is fine.
func createDatabase(ctx context.Context, a *apiClient, db string) error {
	err := a.post(ctx, a.base+"/v1/databases", map[string]string{"name": db}, nil)
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Status == http.StatusConflict {
		return nil
	}
	if err != nil {
		return fmt.Errorf("create database: %w", err)
	}
	return nil
}

// preload inserts ids 1..cfg.Rows unless they are all there already.
func preload(ctx context.Context, a *apiClient, cfg Config, log *slog.Logger) error {
	have, err := countPreloaded(ctx, a, cfg.Rows)
	if err != nil {
		return fmt.Errorf("count rows: %w", err)
	}
	if have == int64(cfg.Rows) {
		log.Info("rows already preloaded", "rows", cfg.Rows)
		return nil
	}
	log.Info("preloading rows", "rows", cfg.Rows, "present", have)
	payload := makePayload(rand.New(rand.NewPCG(1, 2)), cfg.ValueSize)
	for lo := 1; lo <= cfg.Rows; lo += preloadBatch {
		hi := min(lo+preloadBatch-1, cfg.Rows)
		if _, err := a.exec(ctx, preloadRequest(lo, hi, payload, cfg.Consistency)); err != nil {
			return fmt.Errorf("preload rows %d..%d: %w", lo, hi, err)
		}
	}
	return nil
}

// preloadRequest inserts ids lo..hi in one transaction.
func preloadRequest(lo, hi int, payload, consistency string) execRequest {
	req := execRequest{Transaction: true, Consistency: consistency}
	req.Statements = make([]statement, 0, hi-lo+1)
	for id := lo; id <= hi; id++ {
		key := "key-" + strconv.Itoa(id)
		req.Statements = append(req.Statements, statement{SQL: sqlPreload, Params: []any{id, key, payload}})
	}
	return req
}

// countPreloaded reports how many of ids 1..rows exist.
func countPreloaded(ctx context.Context, a *apiClient, rows int) (int64, error) {
	res, err := a.query(ctx, sqlCountRange, rows)
	if err != nil {
		return 0, err
	}
	if len(res.Rows) != 1 {
		return 0, fmt.Errorf("count rows: got %d result rows, want 1", len(res.Rows))
	}
	return rowInt(res.Rows[0], 0)
}

// waitPreloaded polls a node until it holds all ids 1..rows; errors (such
// as a database not replicated yet) are retried until visibleTimeout.
func waitPreloaded(ctx context.Context, a *apiClient, rows int) error {
	ctx, cancel := context.WithTimeout(ctx, visibleTimeout)
	defer cancel()
	var last error
	for {
		n, err := countPreloaded(ctx, a, rows)
		if err == nil && n == int64(rows) {
			return nil
		}
		if last = err; err == nil {
			last = fmt.Errorf("%d of %d rows visible", n, rows)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last: %w)", ctx.Err(), last)
		case <-time.After(visiblePoll):
		}
	}
}
