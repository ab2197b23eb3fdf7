package cdc

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Options shape the envelope of every event.
type Options struct {
	// Cluster names the cluster: source.name, and the prefix of schema names.
	Cluster string
	// Version is Warren's version, for source.version.
	Version string
	// Schemas selects the JSON converter's form, {"schema": ..., "payload":
	// ...}, instead of the bare payload (Kafka Connect's schemas.enable).
	Schemas bool
	// Transactions adds the transaction block (Debezium's
	// provide.transaction.metadata).
	Transactions bool
	// Now is the clock for the envelope's ts_ms (time.Now when nil).
	Now func() time.Time
}

// Connector is the value of source.connector.
const Connector = "warren"

type envelope struct {
	Before      json.RawMessage `json:"before"`
	After       json.RawMessage `json:"after"`
	Source      source          `json:"source"`
	Op          string          `json:"op"`
	TsMs        int64           `json:"ts_ms"`
	Transaction *transaction    `json:"transaction,omitempty"`
}

// source is Debezium's source block plus Warren's own fields.
type source struct {
	Version   string `json:"version"`
	Connector string `json:"connector"`
	Name      string `json:"name"`
	TsMs      int64  `json:"ts_ms"`
	Snapshot  string `json:"snapshot"`
	DB        string `json:"db"`
	Table     string `json:"table"`
	Origin    string `json:"origin"`
	Seq       uint64 `json:"seq"`
	HLC       string `json:"hlc"` // decimal: 64 bits do not fit a JSON number safely
	ChangeID  string `json:"change_id"`
	Pos       string `json:"pos"` // this node's feed position ("pos-index")
}

type transaction struct {
	ID                  string `json:"id"`
	TotalOrder          int    `json:"total_order"`
	DataCollectionOrder int    `json:"data_collection_order"`
}

// Marshal renders ev as a Debezium change event. table describes ev's table
// for the schema form (its zero value gives a schema built from the row).
func (o *Options) Marshal(ev *Event, table Table) ([]byte, error) {
	env := envelope{Before: nullIfEmpty(ev.Before), After: nullIfEmpty(ev.After), Op: ev.Op, TsMs: o.now().UnixMilli(),
		Source: source{Version: o.Version, Connector: Connector, Name: o.Cluster, TsMs: ev.HLC.Wall().UnixMilli(),
			Snapshot: orFalse(ev.Snapshot), DB: ev.DB, Table: ev.Table, Origin: ev.Origin, Seq: ev.Seq,
			HLC: strconv.FormatUint(uint64(ev.HLC), 10), ChangeID: ev.ID(), Pos: ev.Pos.String()}}
	if o.Transactions && ev.Op != "r" {
		env.Transaction = &transaction{ID: ev.TxID(), TotalOrder: ev.Index + 1, DataCollectionOrder: ev.Index + 1}
	}
	if !o.Schemas {
		return marshal(env)
	}
	return marshal(struct {
		Schema  json.RawMessage `json:"schema"`
		Payload envelope        `json:"payload"`
	}{o.envelopeSchema(ev, table), env})
}

// MarshalKey renders ev's key: the primary-key columns as a JSON object,
// with its schema in the schema form.
func (o *Options) MarshalKey(ev *Event, table Table) ([]byte, error) {
	if !o.Schemas {
		return ev.Key, nil
	}
	return marshal(struct {
		Schema  json.RawMessage `json:"schema"`
		Payload json.RawMessage `json:"payload"`
	}{o.keySchema(ev, table), ev.Key})
}

func (o *Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func marshal(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode change event: %w", err)
	}
	return b, nil
}

func nullIfEmpty(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 {
		return json.RawMessage("null")
	}
	return raw
}

func orFalse(s string) string {
	if s == "" {
		return "false"
	}
	return s
}
