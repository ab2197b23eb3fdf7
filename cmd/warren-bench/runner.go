package main

import (
	"context"
	"sync"
	"time"
)

// window is the measured period: operations that start inside it count.
type window struct {
	start, end time.Time
}

// counts reports whether an operation started at t is measured.
func (w window) counts(t time.Time) bool {
	return !t.Before(w.start) && t.Before(w.end)
}

// client is one benchmark client: a worker, an optional lag probe and the
// client's own statistics.
type client struct {
	worker *worker
	lag    lagMeter
	stats  *stats
}

// run performs operations back to back until the window ends or ctx is
// done. The operation in flight at the end of the window is completed
// (bounded by the request timeout) and counted; an operation interrupted by
// ctx is not counted.
func (c *client) run(ctx context.Context, win window) {
	for {
		start := time.Now()
		if !start.Before(win.end) || ctx.Err() != nil {
			return
		}
		out, err := c.worker.do(ctx)
		done := time.Now()
		if ctx.Err() != nil {
			return
		}
		counted := win.counts(start)
		switch {
		case err != nil && counted:
			c.stats.failure(err, done)
		case err == nil && counted:
			c.stats.success(done.Sub(start), out, done)
		}
		if err == nil && c.lag != nil && out.written > 0 {
			c.measureLag(ctx, out.lastID, done, counted)
		}
	}
}

// measureLag waits for the last written row on the lag node.
func (c *client) measureLag(ctx context.Context, id int64, acked time.Time, counted bool) {
	d, err := c.lag.wait(ctx, id, acked)
	if ctx.Err() != nil || !counted {
		return
	}
	c.stats.lagResult(d, err)
}

// runResult is the merged outcome of all clients.
type runResult struct {
	stats   *stats
	elapsed time.Duration
}

// runClients runs every client for warmup+duration and merges their stats.
// hardStop bounds the whole run after the window ends.
func runClients(ctx context.Context, clients []*client, warmup, duration, hardStop time.Duration) runResult {
	now := time.Now()
	win := window{start: now.Add(warmup), end: now.Add(warmup + duration)}
	ctx, cancel := context.WithDeadline(ctx, win.end.Add(hardStop))
	defer cancel()
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Go(func() { c.run(ctx, win) })
	}
	wg.Wait()
	total := newStats()
	for _, c := range clients {
		total.merge(c.stats)
	}
	return runResult{stats: total, elapsed: win.elapsed(time.Now(), total.last)}
}

// elapsed reports the measured time: the window, extended to the last
// counted completion, or cut short at stopped when the run was interrupted.
func (w window) elapsed(stopped, last time.Time) time.Duration {
	end := w.end
	switch {
	case stopped.Before(w.end):
		end = stopped
	case last.After(w.end):
		end = last
	}
	return max(end.Sub(w.start), 0)
}
