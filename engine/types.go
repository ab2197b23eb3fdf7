package engine

import "time"

// Value is one SQLite value: nil, int64, float64, string or []byte.
type Value = any

// Params are the parameters of one statement: positional (?, ?NNN) or named
// (:name, @name, $name; keys are given without the prefix).
type Params struct {
	Positional []Value
	Named      map[string]Value
}

// Statement is one SQL statement with its parameters.
type Statement struct {
	SQL    string
	Params Params
}

// Column describes one result column.
type Column struct {
	Name     string
	DeclType string // the declared type ("INTEGER", "TEXT", ...) or "" for expressions
}

// Rows is the result of a statement that returns rows.
type Rows struct {
	Columns []Column
	Rows    [][]Value
}

// Result is the outcome of one statement in an Exec.
type Result struct {
	RowsAffected int64
	LastInsertID int64
	Rows         *Rows // set when the statement returned rows (RETURNING, SELECT)
}

// Consistency is the write consistency level of a request.
type Consistency int

// Write consistency levels.
const (
	ConsistencyDefault Consistency = iota // the node's configured default
	ConsistencyOne                        // commit locally, then replicate
	ConsistencyQuorum                     // a majority of voters have the change
	ConsistencyAll                        // every voter has the change
)

// String names the level as clients write it: ONE, QUORUM or ALL.
func (c Consistency) String() string {
	switch c {
	case ConsistencyOne:
		return "ONE"
	case ConsistencyQuorum:
		return "QUORUM"
	case ConsistencyAll:
		return "ALL"
	}
	return "DEFAULT"
}

// ReadConsistency is the consistency level of a read.
type ReadConsistency int

// Read consistency levels.
const (
	ReadLocal  ReadConsistency = iota // read this node's copy
	ReadQuorum                        // first catch up with a majority
)

// QueryOptions tune a read.
type QueryOptions struct {
	Consistency ReadConsistency
	Bookmark    Bookmark      // wait until this node has applied it
	MaxRows     int           // 0: the engine's limit
	Timeout     time.Duration // 0: the engine's limit
}

// ExecOptions tune a write.
type ExecOptions struct {
	Consistency Consistency
	// NonAtomic runs every statement in its own transaction; by default the
	// statements of one Exec commit or fail together.
	NonAtomic bool
	Bookmark  Bookmark      // wait until this node has applied it, then write
	Timeout   time.Duration // 0: the engine's limit
}

// ExecResponse is the outcome of an Exec.
type ExecResponse struct {
	Results  []Result
	Errors   []error // with NonAtomic: the error of each failed statement, else nil entries
	Bookmark Bookmark
}

// TxOptions tune an interactive transaction.
type TxOptions struct {
	ReadOnly    bool
	Consistency Consistency
	Bookmark    Bookmark // wait until this node has applied it, then begin
}

// DatabaseInfo describes one database.
type DatabaseInfo struct {
	Name      string
	Path      string
	SizeBytes int64
}
