package cdc

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/warren-db/warren/engine"
)

// cursorFile is the JSON form of a publisher's cursors: per database, the
// position of the last event the broker acknowledged ("pos-index"), or of
// the end of the last change set it fully handled ("pos").
type cursorFile struct {
	Databases map[string]string `json:"databases"`
}

// loadCursors reads the cursors saved at path; a missing file gives none.
func loadCursors(path string) (map[string]Position, error) {
	out := map[string]Position{}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read cursor file: %w", err)
	}
	var f cursorFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("read cursor file %s: %w", path, err)
	}
	for db, text := range f.Databases {
		pos, err := ParsePosition(text)
		if err != nil {
			return nil, fmt.Errorf("read cursor file %s: database %q: %w", path, db, err)
		}
		out[db] = pos
	}
	return out, nil
}

// saveCursors writes cursors to path atomically and durably: a temporary
// file in the same directory, synced, renamed over path, and the directory
// synced, so a crash leaves either the old file or the new one.
func saveCursors(path string, cursors map[string]Position) error {
	f := cursorFile{Databases: make(map[string]string, len(cursors))}
	for db, pos := range cursors {
		f.Databases[db] = pos.String()
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("encode cursors: %w", err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create cursor dir: %w", err)
	}
	return engine.WriteFileAtomic(path, append(data, '\n'))
}

// sortedNames returns the databases of m in name order.
func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
