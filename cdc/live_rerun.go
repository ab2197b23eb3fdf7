package cdc

import (
	"context"
	"slices"

	"github.com/warren-db/warren/engine"
)

// rerun keeps the result of any other SELECT (joins, aggregates, GROUP BY,
// DISTINCT, LIMIT, subqueries, views) by running it again whole after each
// batch that touches a table it reads, and diffing the two results as
// multisets of rows: a row that appears fewer times than before is
// deleted, one that appears more often inserted. Rows have no identity
// here, so there are no updates. The engine's row limit bounds each run.
type rerun struct {
	q       *LiveQuery
	tables  map[string]bool // nil: every table
	columns []engine.Column
	rows    [][]engine.Value
}

func (r *rerun) watches(table string) bool { return r.tables == nil || r.tables[table] }

func (r *rerun) start(v *engine.View, emit func(*LiveEvent) error) error {
	rows, err := v.Query(r.q.st)
	if err != nil {
		return err
	}
	r.columns, r.rows = rows.Columns, rows.Rows
	if err := emit(&LiveEvent{Kind: LiveColumns, Columns: r.columns, Mode: ModeRerun}); err != nil {
		return err
	}
	return emit(&LiveEvent{Kind: LiveRows, Rows: r.rows})
}

func (r *rerun) update(v *engine.View, b *liveBatch, emit func(*LiveEvent) error) error {
	rows, err := v.Query(r.q.st)
	if err != nil {
		return err
	}
	if !slices.Equal(rows.Columns, r.columns) {
		return ErrLiveSchemaChanged
	}
	old := r.rows
	r.rows = rows.Rows
	for _, row := range missing(old, rows.Rows) {
		if err := emit(&LiveEvent{Kind: LiveDelete, Pos: b.last, Old: row}); err != nil {
			return err
		}
	}
	for _, row := range missing(rows.Rows, old) {
		if err := emit(&LiveEvent{Kind: LiveInsert, Pos: b.last, New: row}); err != nil {
			return err
		}
	}
	return nil
}

// missing returns the rows of a that b lacks, as multisets, in a's order.
func missing(a, b [][]engine.Value) [][]engine.Value {
	count := make(map[string]int, len(b))
	for _, row := range b {
		count[keyString(row)]++
	}
	var out [][]engine.Value
	for _, row := range a {
		k := keyString(row)
		if count[k] > 0 {
			count[k]--
			continue
		}
		out = append(out, row)
	}
	return out
}

// schemaChanged never ends a re-run query by itself: its next run fails or
// finds other columns.
func (r *rerun) schemaChanged(context.Context) (bool, error) { return false, nil }
