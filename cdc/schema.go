package cdc

import (
	"encoding/json"
	"strings"

	"github.com/warren-db/warren/engine"
)

// Table is what the envelope needs to know of a table: its columns and key.
type Table = engine.TableSchema

// field is one field of a Kafka Connect schema.
type field struct {
	Type     string  `json:"type"`
	Optional bool    `json:"optional"`
	Name     string  `json:"name,omitempty"`
	Field    string  `json:"field,omitempty"`
	Fields   []field `json:"fields,omitempty"`
}

// connectType maps a declared SQLite type to a Kafka Connect type, by
// SQLite's affinity rules (https://sqlite.org/datatype3.html).
func connectType(decl string) string {
	d := strings.ToUpper(decl)
	switch {
	case strings.Contains(d, "INT"):
		return "int64"
	case strings.Contains(d, "CHAR"), strings.Contains(d, "CLOB"), strings.Contains(d, "TEXT"):
		return "string"
	case strings.Contains(d, "BLOB"):
		return "bytes"
	case strings.Contains(d, "REAL"), strings.Contains(d, "FLOA"), strings.Contains(d, "DOUB"):
		return "double"
	case strings.Contains(d, "NUM"), strings.Contains(d, "DEC"):
		return "double"
	}
	return "string" // no declared type, dates, booleans as declared text: the value's own form
}

// rowFields describes table's columns; without a description it falls back
// to the columns of the row images, typed from their values.
func rowFields(ev *Event, table Table) []field {
	key := map[string]bool{}
	for _, k := range table.Key {
		key[k] = true
	}
	var out []field
	for _, c := range table.Columns {
		out = append(out, field{Type: connectType(c.DeclType), Optional: !c.NotNull && !key[c.Name], Field: c.Name})
	}
	if len(out) > 0 {
		return out
	}
	img := ev.After
	if len(img) == 0 {
		img = ev.Before
	}
	for _, p := range objectPairs(img) {
		out = append(out, field{Type: valueType(p.value), Optional: true, Field: p.key})
	}
	return out
}

// valueType guesses the Connect type of one rendered JSON value.
func valueType(v json.RawMessage) string {
	if len(v) > 0 && (v[0] == '-' || v[0] >= '0' && v[0] <= '9') {
		if strings.ContainsAny(string(v), ".eE") {
			return "double"
		}
		return "int64"
	}
	return "string"
}

func (o *Options) envelopeSchema(ev *Event, table Table) json.RawMessage {
	prefix := o.Cluster + "." + ev.DB + "." + ev.Table
	row := rowFields(ev, table)
	str := func(name string, optional bool) field { return field{Type: "string", Optional: optional, Field: name} }
	fields := []field{
		{Type: "struct", Optional: true, Name: prefix + ".Value", Field: "before", Fields: row},
		{Type: "struct", Optional: true, Name: prefix + ".Value", Field: "after", Fields: row},
		{Type: "struct", Name: "io.debezium.connector.warren.Source", Field: "source", Fields: []field{
			str("version", false), str("connector", false), str("name", false),
			{Type: "int64", Field: "ts_ms"}, str("snapshot", true), str("db", false), str("table", false),
			str("origin", false), {Type: "int64", Field: "seq"}, str("hlc", false), str("change_id", false), str("pos", false),
		}},
		str("op", false),
		{Type: "int64", Optional: true, Field: "ts_ms"},
	}
	if o.Transactions {
		fields = append(fields, field{Type: "struct", Optional: true, Name: "event.block", Field: "transaction", Fields: []field{
			str("id", false), {Type: "int64", Field: "total_order"}, {Type: "int64", Field: "data_collection_order"},
		}})
	}
	b, _ := json.Marshal(field{Type: "struct", Name: prefix + ".Envelope", Fields: fields})
	return b
}

func (o *Options) keySchema(ev *Event, table Table) json.RawMessage {
	types := map[string]string{}
	for _, c := range table.Columns {
		types[c.Name] = connectType(c.DeclType)
	}
	var fields []field
	for _, p := range objectPairs(ev.Key) {
		t, ok := types[p.key]
		if !ok {
			t = valueType(p.value)
		}
		fields = append(fields, field{Type: t, Field: p.key})
	}
	b, _ := json.Marshal(field{Type: "struct", Name: o.Cluster + "." + ev.DB + "." + ev.Table + ".Key", Fields: fields})
	return b
}
