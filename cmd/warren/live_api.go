package main

import (
	"context"

	"github.com/warren-db/warren/api"
	"github.com/warren-db/warren/cdc"
	"github.com/warren-db/warren/engine"
)

// liveQueries adapts the node's cdc.Feed to the API's live queries
// (GET /v1/db/{db}/live).
type liveQueries struct {
	feed *cdc.Feed
	opts cdc.LiveOptions
}

var _ api.LiveQueries = liveQueries{}

// liveAPI returns the live queries the API serves, bounded like queries
// (max_rows, query_timeout per evaluation).
func (m *Main) liveAPI() api.LiveQueries {
	return liveQueries{feed: m.feed, opts: cdc.LiveOptions{MaxRows: m.Config.MaxRows, Timeout: m.Config.QueryTimeout}}
}

// Open plans st and returns the stream that runs it.
func (l liveQueries) Open(db string, st engine.Statement) (api.LiveStream, error) {
	q, err := l.feed.Live(db, st, l.opts)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, emit func(*api.LiveEvent) error) error {
		return q.Run(ctx, func(ev *cdc.LiveEvent) error { return emit(apiLiveEvent(ev)) })
	}, nil
}

// apiLiveEvent converts an event; positions become SSE ids.
func apiLiveEvent(ev *cdc.LiveEvent) *api.LiveEvent {
	out := &api.LiveEvent{Kind: string(ev.Kind), Columns: ev.Columns, KeyColumns: ev.KeyColumns, Mode: ev.Mode,
		Rows: ev.Rows, Keys: ev.Keys, Key: ev.Key, Old: ev.Old, New: ev.New}
	if ev.Kind != cdc.LiveColumns && ev.Kind != cdc.LiveRows {
		out.ID = ev.Pos.String()
	}
	return out
}
