package api

import (
	"net/http"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"
)

// databaseJSON is one database of GET /v1/databases.
type databaseJSON struct {
	Name      string `json:"name"`
	SizeBytes int64  `json:"size_bytes"`
}

// listDatabases serves GET /v1/databases: the databases p may read, by name.
func (s *Server) listDatabases(w http.ResponseWriter, _ *http.Request, p *principal) error {
	list := []databaseJSON{}
	for _, d := range s.eng.Databases() {
		if p.rightOn(d.Name) >= RightRead {
			list = append(list, databaseJSON{Name: d.Name, SizeBytes: d.SizeBytes})
		}
	}
	slices.SortFunc(list, func(a, b databaseJSON) int { return strings.Compare(a.Name, b.Name) })
	return writeValue(w, http.StatusOK, map[string]any{"databases": list})
}

// createRequest is the body of POST /v1/databases.
type createRequest struct {
	Name string `json:"name"`
}

// createDatabase serves POST /v1/databases: 201 {"name": ...}. It needs
// admin on the new name (or on every database).
func (s *Server) createDatabase(w http.ResponseWriter, r *http.Request, p *principal) error {
	var req createRequest
	if err := decodeBody(r, &req, false); err != nil {
		return err
	}
	if err := p.need(RightAdmin, req.Name); err != nil {
		return err
	}
	if err := s.eng.CreateDatabase(req.Name); err != nil {
		return err
	}
	return writeValue(w, http.StatusCreated, createRequest{Name: req.Name})
}

// dropDatabase serves DELETE /v1/databases/{db}: 204. Transactions open on
// the database end with it (their ids answer 404).
func (s *Server) dropDatabase(w http.ResponseWriter, r *http.Request, _ *principal) error {
	db := chi.URLParam(r, "db")
	// First: the engine's drop would wait for open transactions to end.
	if err := s.txs.forgetDatabase(db); err != nil {
		return err
	}
	if err := s.eng.DropDatabase(db); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
