package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// lagMeter measures how long after acked row id became visible on the lag node.
type lagMeter interface {
	wait(ctx context.Context, id int64, acked time.Time) (time.Duration, error)
}

// lagFeed measures write-to-visible lag from the lag node's change feed:
// one SSE stream (GET /v1/db/{db}/changes) announces every row as the node
// commits it, so nothing polls and the lag's resolution is the stream's.
type lagFeed struct {
	timeout time.Duration

	mu      sync.Mutex
	seen    map[int64]time.Time      // announced before anyone waited
	waiting map[int64]chan time.Time // waiters by row id
	failed  error                    // why the stream ended
	swept   time.Time
}

// startLagFeed opens the change feed of the bench table on the node at base.
func startLagFeed(ctx context.Context, base, db, token string, timeout time.Duration) (*lagFeed, error) {
	u := base + "/v1/db/" + url.PathEscape(db) + "/changes?tables=" + benchTable + "&ops=c"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("open change feed: %w", err)
	}
	req.Header.Set("Accept", "text/event-stream")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := (&http.Client{}).Do(req) // no client timeout: the stream lasts the run
	if err != nil {
		return nil, fmt.Errorf("open change feed of %s: %w", base, err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("open change feed of %s: status %d", base, resp.StatusCode)
	}
	f := &lagFeed{timeout: timeout, seen: map[int64]time.Time{}, waiting: map[int64]chan time.Time{}}
	go func() {
		defer resp.Body.Close()
		f.stop(f.read(bufio.NewScanner(resp.Body)))
	}()
	return f, nil
}

// read records each announced row until the stream ends.
func (f *lagFeed) read(sc *bufio.Scanner) error {
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		var ev struct {
			After struct {
				ID int64 `json:"id"`
			} `json:"after"`
		}
		if err := json.Unmarshal([]byte(data), &ev); err != nil {
			return fmt.Errorf("read change feed: %w", err)
		}
		f.announce(ev.After.ID, time.Now())
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read change feed: %w", err)
	}
	return errors.New("read change feed: the stream ended")
}

func (f *lagFeed) announce(id int64, at time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if ch, ok := f.waiting[id]; ok {
		delete(f.waiting, id)
		ch <- at
		return
	}
	f.seen[id] = at
	if at.Sub(f.swept) > f.timeout { // rows nobody waits for (batch writes) go after a while
		for k, t := range f.seen {
			if at.Sub(t) > f.timeout {
				delete(f.seen, k)
			}
		}
		f.swept = at
	}
}

func (f *lagFeed) stop(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failed = err
	for id, ch := range f.waiting {
		delete(f.waiting, id)
		close(ch)
	}
}

// wait returns how long after acked row id was announced.
func (f *lagFeed) wait(ctx context.Context, id int64, acked time.Time) (time.Duration, error) {
	if id <= 0 {
		return 0, errors.New("measure lag: the write returned no last_insert_id")
	}
	f.mu.Lock()
	if at, ok := f.seen[id]; ok {
		delete(f.seen, id)
		f.mu.Unlock()
		return max(at.Sub(acked), 0), nil // announced before the writer heard back
	}
	if f.failed != nil {
		f.mu.Unlock()
		return 0, f.failed
	}
	ch := make(chan time.Time, 1)
	f.waiting[id] = ch
	f.mu.Unlock()
	select {
	case at, ok := <-ch:
		if !ok {
			return 0, f.failed
		}
		return max(at.Sub(acked), 0), nil
	case <-time.After(f.timeout):
	case <-ctx.Done():
	}
	f.mu.Lock()
	delete(f.waiting, id)
	f.mu.Unlock()
	return 0, fmt.Errorf("measure lag: row %d not announced by the change feed within %s", id, f.timeout)
}
