package cdc

import (
	"encoding/json"
	"strconv"

	"github.com/warren-db/warren/engine"
)

// Event is one row change, ready to be rendered as a Debezium envelope.
type Event struct {
	DB, Table string
	Op        string          // "c", "u", "d", or "r" for a snapshot read
	Key       json.RawMessage // JSON object of the primary-key columns
	Before    json.RawMessage // JSON object, or nil
	After     json.RawMessage // JSON object, or nil
	Origin    string          // the node whose transaction made the change
	Seq       uint64          // the origin's sequence number of that transaction
	HLC       engine.HLC      // the transaction's timestamp
	Index     int             // the change's index in its transaction
	Total     int             // row changes in the transaction
	Pos       Position        // where it sits in this node's feed
	Snapshot  string          // "true", "last" (the last snapshot row) or "false"
}

// ID is the change's identity, the same on every node and for every
// delivery: "db:origin:seq:index". Sinks deduplicate on it. A snapshot
// read (op "r") is no change: its ID names the row and the snapshot's
// position instead, "db:r:pos:table:key".
func (e *Event) ID() string {
	if e.Op == "r" {
		return e.DB + ":r:" + strconv.FormatInt(e.Pos.Pos, 10) + ":" + e.Table + ":" + string(e.Key)
	}
	return e.DB + ":" + e.Origin + ":" + strconv.FormatUint(e.Seq, 10) + ":" + strconv.Itoa(e.Index)
}

// TxID names the transaction the change belongs to ("origin:seq").
func (e *Event) TxID() string { return e.Origin + ":" + strconv.FormatUint(e.Seq, 10) }
