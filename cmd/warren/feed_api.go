package main

import (
	"context"

	"github.com/warren-db/warren/api"
	"github.com/warren-db/warren/cdc"
)

// changeFeed adapts the node's cdc.Feed to the API's change streams
// (GET /v1/db/{db}/changes).
type changeFeed struct {
	feed *cdc.Feed
}

var _ api.ChangeFeed = changeFeed{}

// Open checks where the stream starts and returns it.
func (c changeFeed) Open(ctx context.Context, db string, req api.ChangeRequest) (api.ChangeStream, error) {
	flt := changeFilter(req)
	if req.Snapshot && req.From == "" {
		if _, err := c.feed.Head(db); err != nil { // an unknown database fails before the stream starts
			return nil, err
		}
		return func(ctx context.Context, emit func(api.ChangeEvent) error) error {
			return c.feed.SnapshotAndFollow(ctx, db, flt, c.render(ctx, emit))
		}, nil
	}
	from, err := c.feed.Head(db)
	if req.From != "" {
		from, err = c.feed.ResumeAt(ctx, db, req.From)
	}
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, emit func(api.ChangeEvent) error) error {
		return c.feed.Follow(ctx, db, from, flt, c.render(ctx, emit))
	}, nil
}

// render returns a feed callback that renders each event and emits it; a
// snapshot row other than the last goes without an id.
func (c changeFeed) render(ctx context.Context, emit func(api.ChangeEvent) error) func(*cdc.Event) error {
	return func(ev *cdc.Event) error {
		data, err := c.marshal(ctx, ev)
		if err != nil {
			return err
		}
		id := ev.Pos.String()
		if ev.Snapshot == "true" {
			id = ""
		}
		return emit(api.ChangeEvent{ID: id, Data: data})
	}
}

// marshal renders ev as its envelope.
func (c changeFeed) marshal(ctx context.Context, ev *cdc.Event) ([]byte, error) {
	table, err := c.feed.Table(ctx, ev.DB, ev.Table)
	if err != nil {
		return nil, err
	}
	return c.feed.Options().Marshal(ev, table)
}

// changeFilter turns a request's filters into the feed's.
func changeFilter(req api.ChangeRequest) cdc.Filter {
	var flt cdc.Filter
	if len(req.Tables) > 0 {
		flt.Tables = setOf(req.Tables)
	}
	if len(req.Ops) > 0 {
		flt.Ops = setOf(req.Ops)
	}
	return flt
}

func setOf(items []string) map[string]bool {
	m := make(map[string]bool, len(items))
	for _, it := range items {
		m[it] = true
	}
	return m
}

// changesAPI returns the API's change feed, nil before the feed is built.
func (m *Main) changesAPI() api.ChangeFeed {
	if m.feed == nil {
		return nil
	}
	return changeFeed{feed: m.feed}
}
