package engine

import (
	"encoding/json"
	"fmt"

	"github.com/warren-db/warren/engine/internal/sqlite3"
)

// readChanges reads the row changes stored at a log position, in order.
func readChanges(c *sqlite3.Conn, pos int64) ([]RowChange, error) {
	rows, err := queryAll(c, "SELECT tbl, op, pk, before, after FROM __warren_changes WHERE pos = ? ORDER BY id", pos)
	if err != nil {
		return nil, fmt.Errorf("read changes: %w", err)
	}
	out := make([]RowChange, len(rows))
	for i, r := range rows {
		out[i] = RowChange{Table: r[0].(string), Op: r[1].(string), PK: json.RawMessage(r[2].(string)),
			Before: rawJSON(r[3]), After: rawJSON(r[4])}
	}
	return out, nil
}

func rawJSON(v Value) json.RawMessage {
	if s, ok := v.(string); ok {
		return json.RawMessage(s)
	}
	return nil
}

// fillChangeSet reads the schema entries and row changes stored at cs.Pos.
func fillChangeSet(c *sqlite3.Conn, cs *ChangeSet) error {
	rows, err := queryAll(c, "SELECT version, sql, hlc, origin FROM __warren_schema WHERE pos = ? ORDER BY version", cs.Pos)
	if err != nil {
		return fmt.Errorf("read schema changes: %w", err)
	}
	if len(rows) > 0 {
		cs.Schema = readSchema(rows)
	}
	cs.Changes, err = readChanges(c, cs.Pos)
	return err
}

// changesSince reads up to limit change sets that v lacks, in log order.
func changesSince(c *sqlite3.Conn, v Vector, limit int) ([]*ChangeSet, error) {
	rows, err := queryAll(c, "SELECT pos, origin, seq, hlc, schema_version FROM __warren_log ORDER BY pos")
	if err != nil {
		return nil, fmt.Errorf("read log: %w", err)
	}
	var out []*ChangeSet
	for _, r := range rows {
		cs := &ChangeSet{Pos: r[0].(int64), Origin: r[1].(string), Seq: uint64(r[2].(int64)),
			HLC: HLC(r[3].(int64)), SchemaVersion: r[4].(int64)}
		if cs.Seq <= v[cs.Origin] {
			continue
		}
		if err := fillChangeSet(c, cs); err != nil {
			return nil, err
		}
		out = append(out, cs)
		if limit > 0 && len(out) >= limit {
			break
		}
	}
	return out, nil
}
