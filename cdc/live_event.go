package cdc

import "github.com/warren-db/warren/engine"

// LiveKind names the events of a live query, in the order they come: one
// LiveColumns, one LiveRows, one LiveReady, then any number of LiveInsert,
// LiveUpdate and LiveDelete.
type LiveKind string

// The kinds of live query events.
const (
	LiveColumns LiveKind = "columns" // the result's columns
	LiveRows    LiveKind = "rows"    // the current rows, all at once
	LiveReady   LiveKind = "ready"   // the initial rows are complete; changes follow
	LiveInsert  LiveKind = "insert"  // a row entered the result
	LiveUpdate  LiveKind = "update"  // a row stayed in the result with other values
	LiveDelete  LiveKind = "delete"  // a row left the result
)

// Live query modes (LiveEvent.Mode of the columns event).
const (
	// ModeIncremental keeps the result keyed by the table's primary key and
	// evaluates only the rows a change set touched.
	ModeIncremental = "incremental"
	// ModeRerun runs the whole query again after each relevant change set
	// and diffs the results as multisets of rows (no keys, no updates).
	ModeRerun = "rerun"
)

// LiveEvent is one event of a live query. Values are SQLite values
// (nil, int64, float64, string, []byte); rendering them is the caller's.
type LiveEvent struct {
	Kind LiveKind
	// Pos is, for ready, the feed position the initial rows reflect; for a
	// change, the position of the (last) row change that caused it, or in
	// rerun mode that of the last relevant row change the re-run covers.
	Pos Position

	Columns    []engine.Column // columns: the result's columns
	KeyColumns []string        // columns: the primary key (incremental mode)
	Mode       string          // columns: ModeIncremental or ModeRerun

	Rows [][]engine.Value // rows: the current rows
	Keys [][]engine.Value // rows: each row's primary key (incremental mode)

	Key []engine.Value // insert, update, delete: the row's key (incremental mode)
	Old []engine.Value // update, delete: the row's values before
	New []engine.Value // insert, update: the row's values after
}
