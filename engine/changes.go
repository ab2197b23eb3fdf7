package engine

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/warren-db/warren/engine/internal/sqlite3"
)

// readChanges reads the row changes stored at a log position, in order.
func readChanges(c *sqlite3.Conn, pos int64) ([]RowChange, error) {
	rows, err := queryAll(c, "SELECT tbl, op, pk, before, after, lost FROM __warren_changes WHERE pos = ? ORDER BY id", pos)
	if err != nil {
		return nil, fmt.Errorf("read changes: %w", err)
	}
	out := make([]RowChange, len(rows))
	for i, r := range rows {
		out[i] = RowChange{Table: r[0].(string), Op: r[1].(string), PK: json.RawMessage(r[2].(string)),
			Before: rawJSON(r[3]), After: rawJSON(r[4]), Lost: r[5].(int64) != 0}
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

// changesSince reads up to limit change sets that v lacks, in log order:
// for each origin this database knows, the sets above v's sequence.
func changesSince(c *sqlite3.Conn, v Vector, limit int) ([]*ChangeSet, error) {
	origins, err := queryAll(c, "SELECT origin FROM __warren_vector") // every origin with a set in the log
	if err != nil {
		return nil, fmt.Errorf("read log origins: %w", err)
	}
	if limit <= 0 {
		limit = 1 << 30
	}
	var out []*ChangeSet
	for _, o := range origins {
		origin := o[0].(string)
		rows, err := queryAll(c, `SELECT pos, seq, hlc, schema_version FROM __warren_log
			WHERE origin = ? AND seq > ? ORDER BY seq LIMIT ?`, origin, int64(v[origin]), limit)
		if err != nil {
			return nil, fmt.Errorf("read log: %w", err)
		}
		for _, r := range rows {
			out = append(out, &ChangeSet{Pos: r[0].(int64), Origin: origin, Seq: uint64(r[1].(int64)),
				HLC: HLC(r[2].(int64)), SchemaVersion: r[3].(int64)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
	if len(out) > limit {
		out = out[:limit]
	}
	for _, cs := range out {
		if err := fillChangeSet(c, cs); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// logFloor returns, per origin, the highest sequence no longer in the log
// (trimmed by GC): a peer behind it cannot catch up from this log.
func logFloor(c *sqlite3.Conn, vector Vector) (Vector, error) {
	floor := Vector{}
	for o, seq := range vector {
		low, err := queryAll(c, "SELECT min(seq) FROM __warren_log WHERE origin = ?", o)
		if err != nil {
			return nil, fmt.Errorf("read log floor: %w", err)
		}
		if s, ok := low[0][0].(int64); ok {
			floor[o] = uint64(s) - 1
		} else {
			floor[o] = seq // every set of this origin was trimmed
		}
	}
	return floor, nil
}
