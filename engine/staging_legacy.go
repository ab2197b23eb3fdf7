package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/warren-db/warren/engine/internal/sqlite3"
)

// importLegacy moves the sets an older version staged in staging.sqlite
// into the log, then removes that file.
func (s *stagingStore) importLegacy(dir string, log *slog.Logger) error {
	path := filepath.Join(dir, "staging.sqlite")
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	c, err := sqlite3.Open(path, sqlite3.OpenReadWrite)
	if err != nil {
		return fmt.Errorf("open old staging store: %w", err)
	}
	rows, err := queryAll(c, "SELECT db, body, received FROM staged")
	c.Close()
	if err != nil && !strings.Contains(err.Error(), "no such table") {
		return fmt.Errorf("read old staging store: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range rows {
		var cs ChangeSet
		if err := json.Unmarshal([]byte(r[1].(string)), &cs); err != nil {
			return fmt.Errorf("decode old staged set: %w", err)
		}
		db, received := r[0].(string), time.UnixMilli(r[2].(int64))
		s.keep(db, &cs, received, s.appendPut(db, &cs, received))
	}
	err = s.log.write(s.buf, false)
	s.buf = s.buf[:0]
	if err == nil {
		err = s.log.f.Sync() // the old file goes away once this is on disk
	}
	if err != nil {
		return fmt.Errorf("move old staged sets: %w", err)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove old staging store: %w", err)
		}
	}
	log.Info("moved staged sets from staging.sqlite to staging.log", "sets", len(rows))
	return nil
}
