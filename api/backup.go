package api

import (
	"mime"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
)

// backup serves GET /v1/db/{db}/backup: a consistent SQLite copy, streamed.
func (s *Server) backup(w http.ResponseWriter, r *http.Request, _ *principal) error {
	db := chi.URLParam(r, "db")
	bw := &backupWriter{w: w, filename: db + "-" + time.Now().UTC().Format("20060102T150405Z") + ".db"}
	_, err := s.eng.Backup(r.Context(), db, bw)
	switch {
	case err == nil:
		bw.start() // an empty copy still answers 200
		return nil
	case !bw.started:
		return err // nothing sent yet: answer the error as JSON
	}
	// Part of the file is out: the status cannot change any more. Cut the
	// connection so the client sees a truncated download, not a short file.
	s.log.Error("backup failed while streaming", "db", db, "err", err)
	panic(http.ErrAbortHandler)
}

// backupWriter sends the response headers with the first byte of the copy,
// so that an error before it can still be answered with a status.
type backupWriter struct {
	w        http.ResponseWriter
	filename string
	started  bool
}

// Write streams p to the client.
func (b *backupWriter) Write(p []byte) (int, error) {
	b.start()
	return b.w.Write(p)
}

// start sends the headers once.
func (b *backupWriter) start() {
	if b.started {
		return
	}
	b.started = true
	h := b.w.Header()
	h.Set("Content-Type", "application/vnd.sqlite3")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": b.filename}))
	h.Set("Cache-Control", "no-store")
	b.w.WriteHeader(http.StatusOK)
}
