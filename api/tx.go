package api

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"

	"github.com/warren-db/warren/engine"
)

// beginRequest is the optional body of POST /v1/db/{db}/tx.
type beginRequest struct {
	ReadOnly    bool   `json:"read_only"`
	Consistency string `json:"consistency"`
	Bookmark    string `json:"bookmark"`
}

// beginTx serves POST /v1/db/{db}/tx: 201 {"tx_id": ...}.
func (s *Server) beginTx(w http.ResponseWriter, r *http.Request, p *principal) error {
	var req beginRequest
	if err := decodeBody(r, &req, true); err != nil { // validated against the spec
		return err
	}
	db := chi.URLParam(r, "db")
	if !req.ReadOnly {
		if err := p.need(RightWrite, db); err != nil {
			return err
		}
	}
	opts := engine.TxOptions{ReadOnly: req.ReadOnly, Consistency: writeConsistency[req.Consistency],
		Bookmark: engine.Bookmark(req.Bookmark)}
	tx, err := s.eng.Begin(r.Context(), db, opts)
	if err != nil {
		return err
	}
	e, err := s.txs.add(tx, db, p)
	if err != nil {
		_ = tx.Rollback() // shutting down: nobody will ever use it
		return err
	}
	w.Header().Set("Location", "/v1/db/"+url.PathEscape(db)+"/tx/"+e.id)
	writeJSON(w, http.StatusCreated, stringObject("tx_id", e.id))
	return nil
}

// withTx runs fn on the transaction named in r's path, if p owns it.
func (s *Server) withTx(r *http.Request, p *principal, fn func(tx *engine.Tx) error) error {
	e, err := s.txs.acquire(chi.URLParam(r, "id"), chi.URLParam(r, "db"), p)
	if err != nil {
		return err
	}
	err = fn(e.tx)
	s.txs.release(e, err)
	return err
}

// txQuery serves POST /v1/db/{db}/tx/{id}/query.
func (s *Server) txQuery(w http.ResponseWriter, r *http.Request, p *principal) error {
	req, st, err := decodeQuery(r)
	if err != nil {
		return err
	}
	asString, err := int64Mode(r, req.Int64AsString)
	if err != nil {
		return err
	}
	var rows *engine.Rows
	err = s.withTx(r, p, func(tx *engine.Tx) error {
		rows, err = tx.Query(r.Context(), st)
		return err
	})
	if err != nil {
		return err
	}
	s.writeRows(w, rows, asString)
	return nil
}

// txExec serves POST /v1/db/{db}/tx/{id}/exec: the statements run in order
// and the first failure stops the request (the transaction stays open).
func (s *Server) txExec(w http.ResponseWriter, r *http.Request, p *principal) error {
	req, sts, err := s.decodeExec(r)
	if err != nil {
		return err
	}
	asString, err := int64Mode(r, req.Int64AsString)
	if err != nil {
		return err
	}
	resp := &engine.ExecResponse{Results: make([]engine.Result, 0, len(sts))}
	err = s.withTx(r, p, func(tx *engine.Tx) error {
		for i, st := range sts {
			res, err := tx.Exec(r.Context(), st)
			if err != nil {
				return statementError(i, len(sts), err)
			}
			resp.Results = append(resp.Results, res)
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.writeResults(w, r, resp, false, asString)
	return nil
}

// statementError names the failing statement of a batch in err's message.
func statementError(i, n int, err error) error {
	if n == 1 || engine.ErrorCode(err) == engine.CodeInternal {
		return err
	}
	code := engine.ErrorCode(err)
	return &engine.Error{Code: code, Message: fmt.Sprintf("statements[%d]: %s", i, engine.ErrorMessage(err)), Err: err}
}

// commitTx serves POST /v1/db/{db}/tx/{id}/commit: 200 {"bookmark": ...}.
// Commit or not, the transaction is over.
func (s *Server) commitTx(w http.ResponseWriter, r *http.Request, p *principal) error {
	e, err := s.txs.acquire(chi.URLParam(r, "id"), chi.URLParam(r, "db"), p)
	if err != nil {
		return err
	}
	bm, err := e.tx.Commit(r.Context())
	if err != nil {
		_ = e.tx.Rollback() // a failed commit must leave nothing behind; usually ErrTxDone
	}
	s.txs.finish(e)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, stringObject("bookmark", string(bm)))
	return nil
}

// rollbackTx serves POST .../rollback and DELETE /v1/db/{db}/tx/{id}: 204.
func (s *Server) rollbackTx(w http.ResponseWriter, r *http.Request, p *principal) error {
	e, err := s.txs.acquire(chi.URLParam(r, "id"), chi.URLParam(r, "db"), p)
	if err != nil {
		return err
	}
	err = e.tx.Rollback()
	s.txs.finish(e)
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
