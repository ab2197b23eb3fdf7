package engine

import "encoding/json"

// ChangeSet is one committed transaction: the unit of replication. Its
// identity is (Origin, Seq); whoever delivers it, it applies the same way.
type ChangeSet struct {
	Origin        string        `json:"origin"`
	Seq           uint64        `json:"seq"`
	HLC           HLC           `json:"hlc"`
	SchemaVersion int64         `json:"schema_version"`
	Pos           int64         `json:"-"`                // node-local log position; not part of the identity
	Schema        []SchemaEntry `json:"schema,omitempty"` // DDL, applied before Changes
	Changes       []RowChange   `json:"changes"`
}

// RowChange is one row's change. PK is a JSON array of the key values;
// Before and After are JSON objects of the row (BLOBs as {"$b": hex}).
type RowChange struct {
	Table  string          `json:"table"`
	Op     string          `json:"op"` // "c" insert, "u" update, "d" delete
	PK     json.RawMessage `json:"pk"`
	Before json.RawMessage `json:"before,omitempty"`
	After  json.RawMessage `json:"after,omitempty"`
	// Lost is set, in change sets read from this node's log, on a remote
	// row change that lost last-write-wins here: it changed nothing in this
	// database. It is never sent: each node decides for itself.
	Lost bool `json:"-"`
}

// Newer reports whether version (hlc, origin) beats (otherHLC, otherOrigin).
func newer(hlc HLC, origin string, otherHLC HLC, otherOrigin string) bool {
	if hlc != otherHLC {
		return hlc > otherHLC
	}
	return origin > otherOrigin
}
