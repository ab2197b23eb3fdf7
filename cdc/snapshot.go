package cdc

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/warren-db/warren/engine"
)

// snapshotPage bounds the rows read per query while taking a snapshot.
const snapshotPage = 1000

// Snapshot calls fn with every current row of db's tables that flt selects,
// as op "r" events, all read in one consistent view, and returns the
// position that view reflects: following the feed from there gives every
// later change, none twice. The last row's event has Snapshot "last".
func (f *Feed) Snapshot(ctx context.Context, db string, flt Filter, fn func(*Event) error) (Position, error) {
	var at Position
	if !flt.op("r") {
		flt.Tables = map[string]bool{} // nothing to send, but the position still counts
	}
	err := f.eng.ReadView(ctx, db, snapshotPage, func(v *engine.View) error {
		at = End(v.Pos)
		tables, err := f.eng.Tables(ctx, db)
		if err != nil {
			return err
		}
		var names []string
		for name := range tables {
			if flt.table(name) {
				names = append(names, name)
			}
		}
		sort.Strings(names)
		var held *Event // sent one row late, so the last can say so
		for _, name := range names {
			err := scanTable(v, db, tables[name], at, func(ev *Event) error {
				if held != nil {
					if err := fn(held); err != nil {
						return err
					}
				}
				held = ev
				return nil
			})
			if err != nil {
				return err
			}
		}
		if held != nil {
			held.Snapshot = "last"
			return fn(held)
		}
		return nil
	})
	return at, err
}

// scanTable reads every row of t in key order, a page at a time.
func scanTable(v *engine.View, db string, t Table, at Position, fn func(*Event) error) error {
	keys := make([]string, len(t.Key))
	for i, k := range t.Key {
		keys[i] = quoteIdent(k)
	}
	cols := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = quoteIdent(c.Name)
	}
	keyList := strings.Join(keys, ", ")
	base := "SELECT " + keyList + ", " + strings.Join(cols, ", ") + " FROM " + quoteIdent(t.Name)
	order := " ORDER BY " + keyList + " LIMIT " + strconv.Itoa(snapshotPage)
	var last []engine.Value
	for {
		st := engine.Statement{SQL: base + order}
		if last != nil {
			st = engine.Statement{SQL: base + " WHERE (" + keyList + ") > (" + placeholders(len(keys)) + ")" + order,
				Params: engine.Params{Positional: last}}
		}
		rows, err := v.Query(st)
		if err != nil {
			return fmt.Errorf("snapshot table %s: %w", t.Name, err)
		}
		for _, r := range rows.Rows {
			ev, err := snapshotEvent(db, t, r, len(keys), at)
			if err != nil {
				return err
			}
			if err := fn(ev); err != nil {
				return err
			}
		}
		if len(rows.Rows) < snapshotPage {
			return nil
		}
		last = rows.Rows[len(rows.Rows)-1][:len(keys)]
	}
}

// snapshotEvent renders one row read by scanTable (key values, then columns).
func snapshotEvent(db string, t Table, row []engine.Value, nKey int, at Position) (*Event, error) {
	key, err := objectOf(t.Key, row[:nKey])
	if err != nil {
		return nil, err
	}
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	after, err := objectOf(names, row[nKey:])
	if err != nil {
		return nil, err
	}
	return &Event{DB: db, Table: t.Name, Op: "r", Key: key, After: after, Pos: at, Snapshot: "true"}, nil
}

// objectOf renders values as a JSON object, BLOBs as base64.
func objectOf(names []string, values []engine.Value) (json.RawMessage, error) {
	return jsonObject(names, len(values), func(i int) ([]byte, error) {
		v := values[i]
		if blob, ok := v.([]byte); ok {
			v = base64.StdEncoding.EncodeToString(blob)
		}
		enc, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("render column %s: %w", names[i], err)
		}
		return enc, nil
	})
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }
