package main

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// lagProbe measures write-to-visible lag: how long after a write was
// acknowledged by its node the row becomes readable on another node.
type lagProbe struct {
	api     *apiClient
	poll    time.Duration
	timeout time.Duration
}

// wait polls a point read of id on the probe's node until the row is
// visible and returns the delay since acked. The delay's resolution is one
// poll round trip plus lagProbe.poll.
func (p *lagProbe) wait(ctx context.Context, id int64, acked time.Time) (time.Duration, error) {
	if id <= 0 {
		return 0, errors.New("measure lag: the write returned no last_insert_id")
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	var last error
	for {
		res, err := p.api.query(ctx, sqlVisible, id)
		if err == nil && len(res.Rows) > 0 {
			return time.Since(acked), nil
		}
		if err != nil {
			last = err
		}
		select {
		case <-ctx.Done():
			return 0, p.timeoutError(id, last)
		case <-time.After(p.poll):
		}
	}
}

func (p *lagProbe) timeoutError(id int64, last error) error {
	if last == nil {
		return fmt.Errorf("measure lag: row %d not visible on %s after %s", id, p.api.base, p.timeout)
	}
	return fmt.Errorf("measure lag: row %d not visible on %s after %s (last error: %w)", id, p.api.base, p.timeout, last)
}
