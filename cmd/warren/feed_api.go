package main

import (
	"context"

	"github.com/warren-db/warren/api"
	"github.com/warren-db/warren/cdc"
	"github.com/warren-db/warren/engine"
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
	head, err := c.feed.Engine().LogHead(db)
	if err != nil {
		return nil, err
	}
	switch {
	case req.From != "":
		from, err := c.checkFrom(ctx, db, req.From, head)
		if err != nil {
			return nil, err
		}
		return c.follow(db, from, flt), nil
	case req.Snapshot:
		return c.snapshot(db, flt), nil
	}
	return c.follow(db, cdc.End(head), flt), nil
}

// checkFrom parses a client's position and checks that the log can resume
// there: not past the head, not trimmed by GC.
func (c changeFeed) checkFrom(ctx context.Context, db, text string, head int64) (cdc.Position, error) {
	from, err := cdc.ParsePosition(text)
	if err != nil {
		return from, &engine.Error{Code: engine.CodeInvalid, Message: err.Error(), Err: err}
	}
	if from.Pos == 0 {
		from = cdc.End(0) // no event sits at 0: "0-i" is before everything too
	}
	if from.Pos > head {
		return from, engine.Errorf(engine.CodeInvalid,
			"position %s is past the head of the change log (%d): positions are node-local, and a restored node starts a new sequence", text, head)
	}
	// The set at from.Pos may still have events to give, so it must be there too.
	after := from.Pos - 1
	if from == cdc.End(from.Pos) {
		after = from.Pos
	}
	if after < head {
		if _, err := c.feed.Engine().ChangesAfter(ctx, db, after, 1); err != nil {
			return from, err
		}
	}
	return from, nil
}

// follow streams the events after from.
func (c changeFeed) follow(db string, from cdc.Position, flt cdc.Filter) api.ChangeStream {
	return func(ctx context.Context, emit func(api.ChangeEvent) error) error {
		return c.feed.Follow(ctx, db, from, flt, c.render(ctx, emit))
	}
}

// snapshot streams the current rows, then the events after them. Only the
// last row carries an id: the snapshot's position, where a client resumes.
func (c changeFeed) snapshot(db string, flt cdc.Filter) api.ChangeStream {
	return func(ctx context.Context, emit func(api.ChangeEvent) error) error {
		render := c.render(ctx, emit)
		at, err := c.feed.Snapshot(ctx, db, flt, render)
		if err != nil {
			return err
		}
		return c.feed.Follow(ctx, db, at, flt, render)
	}
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
