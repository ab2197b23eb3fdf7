package api

import (
	"bytes"
	"io"
	"net/http"

	"github.com/warren-db/warren/engine"
)

// Metrics renders the node's metrics for GET /metrics; cmd implements it.
type Metrics interface {
	// WriteMetrics writes every metric in the Prometheus text exposition
	// format (version 0.0.4). It must be safe for concurrent use.
	WriteMetrics(w io.Writer) error
}

// metricsContentType is the Prometheus text exposition format.
const metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

// metrics serves GET /metrics: Config.Metrics' text, empty without one.
func (s *Server) metrics(w http.ResponseWriter, _ *http.Request, _ *principal) error {
	var buf bytes.Buffer
	if s.cfg.Metrics != nil {
		if err := s.cfg.Metrics.WriteMetrics(&buf); err != nil {
			return &engine.Error{Code: engine.CodeInternal, Message: "write metrics", Err: err}
		}
	}
	w.Header().Set("Content-Type", metricsContentType)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
	return nil
}
