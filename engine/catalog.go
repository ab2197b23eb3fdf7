package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// CatalogRecord is the last create or drop of a database name: the catalog
// of databases replicates with last-write-wins on HLC, so a node that missed
// a drop does not bring the database back.
type CatalogRecord struct {
	HLC     HLC  `json:"hlc"`
	Dropped bool `json:"dropped,omitempty"`
}

const catalogFile = "catalog.json"

// loadCatalog reads the catalog; databases found on disk without a record
// get one (they predate the catalog or were copied in).
func (e *Engine) loadCatalog() error {
	e.catalog = map[string]CatalogRecord{}
	data, err := os.ReadFile(filepath.Join(e.cfg.DataDir, catalogFile))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("read catalog: %w", err)
	}
	if err == nil {
		if err := json.Unmarshal(data, &e.catalog); err != nil {
			return fmt.Errorf("read catalog: %w", err)
		}
	}
	return nil
}

// saveCatalog writes the catalog; the caller holds e.mu.
func (e *Engine) saveCatalog() error {
	return WriteFileAtomic(filepath.Join(e.cfg.DataDir, catalogFile), mustJSON(e.catalog))
}

// Catalog returns the catalog of database names.
func (e *Engine) Catalog() map[string]CatalogRecord {
	e.mu.RLock()
	defer e.mu.RUnlock()
	out := make(map[string]CatalogRecord, len(e.catalog))
	for k, v := range e.catalog {
		out[k] = v
	}
	return out
}

// MergeCatalog applies newer records of another node: it creates and drops
// databases here. It returns the names it changed.
func (e *Engine) MergeCatalog(remote map[string]CatalogRecord) ([]string, error) {
	var changed []string
	for name, rec := range remote {
		if ValidName(name) != nil {
			continue
		}
		e.clock.Observe(rec.HLC)
		e.mu.RLock()
		cur, ok := e.catalog[name]
		e.mu.RUnlock()
		if ok && cur.HLC >= rec.HLC {
			continue
		}
		var err error
		if rec.Dropped {
			err = e.dropDatabase(name, rec.HLC)
		} else {
			err = e.createDatabase(name, rec.HLC)
		}
		if err != nil && ErrorCode(err) != CodeExists && ErrorCode(err) != CodeNotFound {
			return changed, err
		}
		changed = append(changed, name)
	}
	return changed, nil
}
