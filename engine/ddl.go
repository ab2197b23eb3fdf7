package engine

import "fmt"

// SchemaEntry is one DDL statement of the schema log.
type SchemaEntry struct {
	Version int64  `json:"version"`
	SQL     string `json:"sql"`
	HLC     HLC    `json:"hlc"`
	Origin  string `json:"origin"`
}

// afterDDL records DDL in the schema log and regenerates capture triggers.
func (w *writer) afterDDL(stmts []string) error {
	hlc := w.db.clock.Now()
	for _, sql := range stmts {
		w.schemaVer++
		if err := execArgs(w.conn, "INSERT INTO __warren_schema(version, sql, hlc, origin) VALUES (?, ?, ?, ?)",
			w.schemaVer, sql, int64(hlc), w.db.node); err != nil {
			return fmt.Errorf("record schema change: %w", err)
		}
	}
	return w.refreshSchema(true)
}

// applySchema runs schema-log entries this database lacks, in version order.
func (w *writer) applySchema(entries []SchemaEntry) error {
	for _, e := range entries {
		if e.Version <= w.schemaVer {
			continue
		}
		if e.Version != w.schemaVer+1 {
			return Errorf(CodeUnavailable, "schema version %d is missing before %d", w.schemaVer+1, e.Version)
		}
		w.db.clock.Observe(e.HLC)
		if err := w.conn.Exec(e.SQL); err != nil {
			return fmt.Errorf("apply schema version %d: %w", e.Version, sqlError(err))
		}
		if err := execArgs(w.conn, "INSERT INTO __warren_schema(version, sql, hlc, origin) VALUES (?, ?, ?, ?)",
			e.Version, e.SQL, int64(e.HLC), e.Origin); err != nil {
			return fmt.Errorf("record schema change: %w", err)
		}
		w.schemaVer = e.Version
	}
	if err := w.refreshSchema(true); err != nil {
		return err
	}
	return w.dropCaptured()
}

// dropCaptured drops the row changes the triggers captured while the writer
// applied remote changes: they are not this node's writes.
func (w *writer) dropCaptured() error {
	return execArgs(w.conn, "DELETE FROM __warren_changes WHERE pos IS NULL")
}

// schemaSince returns the schema-log entries above version.
func schemaSince(rows [][]Value) []SchemaEntry {
	out := make([]SchemaEntry, 0, len(rows))
	for _, r := range rows {
		out = append(out, SchemaEntry{Version: r[0].(int64), SQL: r[1].(string), HLC: HLC(r[2].(int64)), Origin: r[3].(string)})
	}
	return out
}
