package api

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/warren-db/warren/engine"
)

// GET /v1/db/{db}/changes streams a database's change events as
// Server-Sent Events. The api package does not know how events are read or
// rendered: cmd passes in a ChangeFeed (an adapter over the cdc package).

// ChangeFeed opens change streams. Implementations must be safe for
// concurrent use.
type ChangeFeed interface {
	// Open checks req against database db and returns the stream to run.
	// Problems found here (unknown database, malformed position, a position
	// past the log head or already trimmed) are engine errors, answered as
	// JSON before the stream starts.
	Open(ctx context.Context, db string, req ChangeRequest) (ChangeStream, error)
}

// ChangeStream sends the events of one opened request, in feed order, by
// calling emit, until ctx ends, emit fails (it then returns emit's error)
// or the feed cannot go on (the database closed, the log was trimmed).
// emit keeps the event's Data; the stream must not change it afterwards.
type ChangeStream func(ctx context.Context, emit func(ChangeEvent) error) error

// ChangeRequest is what a client asked of the change feed.
type ChangeRequest struct {
	// Tables keeps only events of these tables (none: every table).
	Tables []string
	// Ops keeps only these operations, among "c", "u", "d", "r" (none: all).
	Ops []string
	// Snapshot asks for the current rows first (op "r"), then the changes
	// after them. It is ignored when From is set: the client resumes.
	Snapshot bool
	// From is the position to resume after, as the client sent it (the
	// Last-Event-ID header, else the from parameter); "" starts at the head.
	From string
}

// ChangeEvent is one rendered event.
type ChangeEvent struct {
	// ID is the event's position, sent as the SSE id; "" sends no id (a
	// snapshot row before the last).
	ID string
	// Data is the event's JSON document.
	Data []byte
}

// Defaults of the change stream settings of Config.
const (
	DefaultChangesHeartbeat = 15 * time.Second
	DefaultChangesBuffer    = 1024
	DefaultChangesStall     = 10 * time.Second
)

// changeOps are the operations a filter may name.
var changeOps = []string{"c", "u", "d", "r"}

// changes serves GET /v1/db/{db}/changes.
func (s *Server) changes(w http.ResponseWriter, r *http.Request, _ *principal) error {
	if s.cfg.Changes == nil {
		return engine.Errorf(engine.CodeNotFound, "the change feed is not enabled on this node")
	}
	req, err := changeRequest(r)
	if err != nil {
		return err
	}
	stream, err := s.cfg.Changes.Open(r.Context(), chi.URLParam(r, "db"), req)
	if err != nil {
		return err
	}
	return s.runStream(w, r, stream, req.From)
}

// changeRequest reads the query parameters and the Last-Event-ID header.
func changeRequest(r *http.Request) (ChangeRequest, error) {
	q := r.URL.Query()
	req := ChangeRequest{Tables: splitList(q.Get("tables")), Ops: splitList(q.Get("ops")), From: q.Get("from")}
	for _, op := range req.Ops {
		if !slices.Contains(changeOps, op) {
			return req, engine.Errorf(engine.CodeInvalid, `parameter "ops": unknown operation %q (want c, u, d or r)`, op)
		}
	}
	if v := q.Get("snapshot"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return req, engine.Errorf(engine.CodeInvalid, `parameter "snapshot" must be true or false, not %q`, v)
		}
		req.Snapshot = b
	}
	if id := strings.TrimSpace(r.Header.Get("Last-Event-ID")); id != "" {
		req.From = id
	}
	return req, nil
}

// splitList splits a comma-separated parameter, dropping empty entries.
func splitList(s string) []string {
	var out []string
	for part := range strings.SplitSeq(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
