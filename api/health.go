package api

import (
	"context"
	"net/http"
	"time"

	"github.com/warren-db/warren/engine"
)

// readyProbeTimeout bounds the engine probe of /readyz.
const readyProbeTimeout = 2 * time.Second

// healthz serves GET /healthz: the process is alive.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request, _ *principal) error {
	writeJSON(w, http.StatusOK, []byte(`{"status":"ok"}`))
	return nil
}

// readyz serves GET /readyz: 200 when the server is not closed, the engine
// answers a trivial read and Config.Ready (if any) passes; 503 otherwise.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request, _ *principal) error {
	if s.closed.Load() {
		return engine.Errorf(engine.CodeUnavailable, "not ready: server is shutting down")
	}
	if err := s.probeEngine(r.Context()); err != nil {
		return err
	}
	if s.cfg.Ready != nil {
		if err := s.cfg.Ready(); err != nil {
			return &engine.Error{Code: engine.CodeUnavailable, Message: "not ready: " + err.Error(), Err: err}
		}
	}
	writeJSON(w, http.StatusOK, []byte(`{"status":"ready"}`))
	return nil
}

// probeEngine runs SELECT 1 on the first database, which fails once the
// engine is closed. With no database at all, the engine's answer must be
// "not found" rather than "closed".
func (s *Server) probeEngine(ctx context.Context) error {
	name := ""
	if dbs := s.eng.Databases(); len(dbs) > 0 {
		name = dbs[0].Name
	}
	ctx, cancel := context.WithTimeout(ctx, readyProbeTimeout)
	defer cancel()
	_, err := s.eng.Query(ctx, name, engine.Statement{SQL: "SELECT 1"}, engine.QueryOptions{})
	if err == nil || (name == "" && engine.ErrorCode(err) == engine.CodeNotFound) {
		return nil
	}
	return &engine.Error{Code: engine.CodeUnavailable, Message: "not ready: engine: " + engine.ErrorMessage(err), Err: err}
}

// openapi serves GET /openapi.yaml: the spec the server validates against.
func (s *Server) openapi(w http.ResponseWriter, _ *http.Request, _ *principal) error {
	h := w.Header()
	h.Set("Content-Type", "application/yaml")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(s.cfg.Spec)
	return nil
}
