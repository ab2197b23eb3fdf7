package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/warren-db/warren/engine"
)

// queryRequest is the body of POST /v1/db/{db}/query (and of a transaction's
// query, which ignores Consistency and Bookmark).
type queryRequest struct {
	SQL           string `json:"sql"`
	Params        any    `json:"params"`
	Consistency   string `json:"consistency"`
	Bookmark      string `json:"bookmark"`
	Int64AsString bool   `json:"int64_as_string"`
}

// readConsistency maps the "consistency" field of a query.
var readConsistency = map[string]engine.ReadConsistency{
	"":       engine.ReadLocal,
	"local":  engine.ReadLocal,
	"quorum": engine.ReadQuorum,
}

// decodeQuery decodes and checks a query body (the hand-written equivalent of
// the QueryRequest schema).
func decodeQuery(r *http.Request) (queryRequest, engine.Statement, error) {
	var req queryRequest
	if err := decodeBody(r, &req, false); err != nil {
		return req, engine.Statement{}, err
	}
	if _, ok := readConsistency[req.Consistency]; !ok {
		return req, engine.Statement{}, engine.Errorf(engine.CodeInvalid,
			`field "consistency" must be "local" or "quorum", not %q`, req.Consistency)
	}
	st, err := statement(req.SQL, req.Params, "")
	return req, st, err
}

// statement checks one statement; prefix locates it in the body ("" or
// "statements[i].").
func statement(sql string, params any, prefix string) (engine.Statement, error) {
	if sql == "" {
		return engine.Statement{}, engine.Errorf(engine.CodeInvalid, "field %q is required and must not be empty", prefix+"sql")
	}
	p, err := decodeParams(params, prefix+"params")
	return engine.Statement{SQL: sql, Params: p}, err
}

// int64Mode reports whether integers beyond 2^53 go out as strings: the
// body's int64_as_string or ?int64=string.
func int64Mode(r *http.Request, bodyFlag bool) (bool, error) {
	if r.URL.RawQuery == "" {
		return bodyFlag, nil
	}
	vals, ok := r.URL.Query()["int64"]
	if !ok {
		return bodyFlag, nil
	}
	if len(vals) != 1 || (vals[0] != "string" && vals[0] != "number") {
		return false, engine.Errorf(engine.CodeInvalid, `parameter "int64" in query must be "number" or "string"`)
	}
	return bodyFlag || vals[0] == "string", nil
}

// query serves POST /v1/db/{db}/query.
func (s *Server) query(w http.ResponseWriter, r *http.Request, _ *principal) error {
	req, st, err := decodeQuery(r)
	if err != nil {
		return err
	}
	asString, err := int64Mode(r, req.Int64AsString)
	if err != nil {
		return err
	}
	opts := engine.QueryOptions{Consistency: readConsistency[req.Consistency], Bookmark: engine.Bookmark(req.Bookmark)}
	rows, err := s.eng.Query(r.Context(), chi.URLParam(r, "db"), st, opts)
	if err != nil {
		return err
	}
	s.writeRows(w, rows, asString)
	return nil
}

// writeRows answers 200 {"columns": [...], "types": [...], "rows": [[...]]}.
func (s *Server) writeRows(w http.ResponseWriter, rows *engine.Rows, int64AsString bool) {
	if rows == nil {
		rows = &engine.Rows{}
	}
	b := s.buffer()
	*b = append(*b, '{')
	*b = appendRowsFields(*b, rows, int64AsString)
	*b = append(*b, '}')
	s.writePooled(w, http.StatusOK, b)
}
