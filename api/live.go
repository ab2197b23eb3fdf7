package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/warren-db/warren/engine"
)

// GET /v1/db/{db}/live?sql=...&params=[...] streams a live query as
// Server-Sent Events: its columns, its current rows, a ready event, then an
// event for each row that enters, changes in or leaves the result. The api
// package does not know how live queries are kept: cmd passes in a
// LiveQueries (an adapter over the cdc package). Values are rendered here,
// as the query endpoint renders them (values.go).

// LiveQueries opens live queries. Implementations must be safe for
// concurrent use.
type LiveQueries interface {
	// Open plans st as a live query on database db and returns the stream
	// to run. A statement that is not a single read-only SELECT is refused
	// here with an engine error (answered as JSON).
	Open(db string, st engine.Statement) (LiveStream, error)
}

// LiveStream runs an opened live query: it calls emit with each event, in
// order, until ctx ends, emit fails (it then returns emit's error) or the
// query cannot go on. An error before the first event (an unknown database
// or table, bad SQL) is the request's and is answered as JSON.
type LiveStream func(ctx context.Context, emit func(*LiveEvent) error) error

// LiveEvent is one event of a live query, before rendering. Kind is one of
// "columns", "rows", "ready", "insert", "update" and "delete".
type LiveEvent struct {
	Kind string
	// ID is the feed position sent as the SSE id: for ready the position
	// the initial rows reflect, for a change that of the row change that
	// caused it. "" sends no id.
	ID string

	Columns    []engine.Column // columns
	KeyColumns []string        // columns: the primary key, in incremental mode
	Mode       string          // columns: "incremental" or "rerun"

	Rows [][]engine.Value // rows: the current rows
	Keys [][]engine.Value // rows: their keys, in incremental mode

	Key []engine.Value // insert, update, delete: the row's key, in incremental mode
	Old []engine.Value // update, delete: the values before
	New []engine.Value // insert, update: the values after
}

// live serves GET /v1/db/{db}/live.
func (s *Server) live(w http.ResponseWriter, r *http.Request, _ *principal) error {
	if s.cfg.LiveQueries == nil {
		return engine.Errorf(engine.CodeNotFound, "live queries are not enabled on this node")
	}
	st, err := liveStatement(r)
	if err != nil {
		return err
	}
	asString, err := int64Mode(r, false)
	if err != nil {
		return err
	}
	stream, err := s.cfg.LiveQueries.Open(chi.URLParam(r, "db"), st)
	if err != nil {
		return err
	}
	return s.runLive(w, r, stream, asString)
}

// liveStatement reads the sql and params query parameters.
func liveStatement(r *http.Request) (engine.Statement, error) {
	q := r.URL.Query()
	var params any
	if text := q.Get("params"); text != "" {
		dec := json.NewDecoder(bytes.NewReader([]byte(text)))
		dec.UseNumber()
		if err := dec.Decode(&params); err != nil || dec.More() {
			return engine.Statement{}, engine.Errorf(engine.CodeInvalid,
				`parameter "params" must be a JSON array or object of statement parameters`)
		}
	}
	return statement(q.Get("sql"), params, "")
}
