package api

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/warren-db/warren/engine"
)

// execRequest is the body of POST /v1/db/{db}/exec (and of a transaction's
// exec, which ignores Transaction, Consistency and Bookmark).
type execRequest struct {
	Statements    []statementJSON `json:"statements"`
	Transaction   *bool           `json:"transaction"`
	Consistency   string          `json:"consistency"`
	Bookmark      string          `json:"bookmark"`
	Int64AsString bool            `json:"int64_as_string"`
}

// statementJSON is one statement of an exec body.
type statementJSON struct {
	SQL    string `json:"sql"`
	Params any    `json:"params"`
}

// writeConsistency maps the "consistency" field of a write.
var writeConsistency = map[string]engine.Consistency{
	"":       engine.ConsistencyDefault,
	"one":    engine.ConsistencyOne,
	"quorum": engine.ConsistencyQuorum,
	"all":    engine.ConsistencyAll,
}

// checkWriteConsistency refuses a consistency outside one, quorum and all.
func checkWriteConsistency(c string) error {
	if _, ok := writeConsistency[c]; !ok {
		return engine.Errorf(engine.CodeInvalid, `field "consistency" must be "one", "quorum" or "all", not %q`, c)
	}
	return nil
}

// decodeExec decodes and checks an exec body (the hand-written equivalent of
// the ExecRequest schema, plus the statement limit).
func (s *Server) decodeExec(r *http.Request) (execRequest, []engine.Statement, error) {
	var req execRequest
	if err := decodeBody(r, &req, false); err != nil {
		return req, nil, err
	}
	if err := s.checkStatements(len(req.Statements)); err != nil {
		return req, nil, err
	}
	if err := checkWriteConsistency(req.Consistency); err != nil {
		return req, nil, err
	}
	sts := make([]engine.Statement, len(req.Statements))
	for i, st := range req.Statements {
		var err error
		if sts[i], err = statement(st.SQL, st.Params, "statements["+strconv.Itoa(i)+"]."); err != nil {
			return req, nil, err
		}
	}
	return req, sts, nil
}

// exec serves POST /v1/db/{db}/exec.
func (s *Server) exec(w http.ResponseWriter, r *http.Request, _ *principal) error {
	req, sts, err := s.decodeExec(r)
	if err != nil {
		return err
	}
	asString, err := int64Mode(r, req.Int64AsString)
	if err != nil {
		return err
	}
	opts := engine.ExecOptions{
		Consistency: writeConsistency[req.Consistency],
		NonAtomic:   req.Transaction != nil && !*req.Transaction,
		Bookmark:    engine.Bookmark(req.Bookmark),
	}
	resp, err := s.eng.Exec(r.Context(), chi.URLParam(r, "db"), sts, opts)
	if err != nil {
		return err
	}
	s.writeResults(w, r, resp, true, asString)
	return nil
}

// writeResults answers 200 {"results": [...], "bookmark": ...}; the bookmark
// only when withBookmark (a transaction's exec has none yet).
func (s *Server) writeResults(w http.ResponseWriter, r *http.Request, resp *engine.ExecResponse, withBookmark, int64AsString bool) {
	b := s.buffer()
	*b = append(*b, `{"results":[`...)
	for i, res := range resp.Results {
		if i > 0 {
			*b = append(*b, ',')
		}
		var err error
		if i < len(resp.Errors) {
			err = resp.Errors[i]
		}
		*b = s.appendResult(*b, r, res, err, int64AsString)
	}
	*b = append(*b, ']')
	if withBookmark {
		*b = append(*b, `,"bookmark":`...)
		*b = appendString(*b, string(resp.Bookmark))
	}
	*b = append(*b, '}')
	s.writePooled(w, http.StatusOK, b)
}

// appendResult appends one statement's result, or its error.
func (s *Server) appendResult(b []byte, r *http.Request, res engine.Result, err error, int64AsString bool) []byte {
	if err != nil {
		code, msg := s.errorBody(r, err)
		b = append(b, `{"error":`...)
		b = appendErrorObject(b, code, msg)
		return append(b, '}')
	}
	b = append(b, `{"rows_affected":`...)
	b = strconv.AppendInt(b, res.RowsAffected, 10)
	b = append(b, `,"last_insert_id":`...)
	b = appendInt(b, res.LastInsertID, int64AsString)
	if res.Rows != nil {
		b = append(b, ',')
		b = appendRowsFields(b, res.Rows, int64AsString)
	}
	return append(b, '}')
}
