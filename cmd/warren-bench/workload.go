package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
)

// outcome describes a successful operation.
type outcome struct {
	// written is the number of rows inserted (0 for reads).
	written int
	// lastID is the id of the last inserted row, 0 when none.
	lastID int64
}

// worker performs the operations of one client. It is owned by one
// goroutine.
type worker struct {
	api         *apiClient
	rng         *rand.Rand
	workload    string
	rows        int
	batchSize   int
	readRatio   float64
	consistency string
	payload     string
	keyPrefix   string
	seq         int
}

// newWorker returns the worker of client number id.
func newWorker(cfg Config, api *apiClient, id int, seed uint64) *worker {
	rng := rand.New(rand.NewPCG(seed, uint64(id)))
	return &worker{
		api: api, rng: rng, workload: cfg.Workload, rows: cfg.Rows,
		batchSize: cfg.BatchSize, readRatio: cfg.ReadRatio, consistency: cfg.Consistency,
		payload:   makePayload(rng, cfg.ValueSize),
		keyPrefix: "c" + strconv.Itoa(id) + "-" + strconv.FormatUint(seed%1_000_000, 10) + "-",
	}
}

// do performs one operation of the configured workload.
func (w *worker) do(ctx context.Context) (outcome, error) {
	switch w.workload {
	case WorkloadInsert:
		return w.insert(ctx, 1)
	case WorkloadBatch:
		return w.insert(ctx, w.batchSize)
	case WorkloadMixed:
		if w.readsNext() {
			return w.pointRead(ctx)
		}
		return w.insert(ctx, 1)
	default:
		return w.pointRead(ctx)
	}
}

// readsNext draws whether the next mixed operation is a read.
func (w *worker) readsNext() bool { return w.rng.Float64() < w.readRatio }

// pointRead selects one random preloaded row and checks it was found.
func (w *worker) pointRead(ctx context.Context) (outcome, error) {
	id := 1 + w.rng.IntN(w.rows)
	res, err := w.api.query(ctx, sqlPointRead, id)
	if err != nil {
		return outcome{}, fmt.Errorf("point read: %w", err)
	}
	if len(res.Rows) != 1 {
		return outcome{}, fmt.Errorf("point read id %d: got %d rows, want 1", id, len(res.Rows))
	}
	return outcome{}, nil
}

// insert writes n rows (ids omitted) in one exec, in a transaction.
func (w *worker) insert(ctx context.Context, n int) (outcome, error) {
	req := execRequest{Transaction: true, Consistency: w.consistency,
		Statements: make([]statement, n)}
	for i := range req.Statements {
		w.seq++
		key := w.keyPrefix + strconv.Itoa(w.seq)
		req.Statements[i] = statement{SQL: sqlInsert, Params: []any{key, w.payload}}
	}
	res, err := w.api.exec(ctx, req)
	if err != nil {
		return outcome{}, fmt.Errorf("insert: %w", err)
	}
	if len(res.Results) != n {
		return outcome{}, fmt.Errorf("insert: got %d results, want %d", len(res.Results), n)
	}
	return outcome{written: n, lastID: int64(res.Results[n-1].LastInsertID)}, nil
}

// makePayload returns n random lowercase letters.
func makePayload(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + rng.IntN(26))
	}
	return string(b)
}
