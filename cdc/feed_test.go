package cdc

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/warren-db/warren/engine"
)

func openEngine(t testing.TB) *engine.Engine {
	t.Helper()
	e, _ := openEngineDir(t)
	return e
}

// openEngineDir opens an engine and returns its data directory too.
func openEngineDir(t testing.TB) (*engine.Engine, string) {
	t.Helper()
	cfg := engine.DefaultConfig()
	cfg.DataDir = t.TempDir()
	cfg.Logger = slog.New(slog.DiscardHandler)
	e, err := engine.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e, cfg.DataDir
}

func exec(t *testing.T, e *engine.Engine, sqls ...string) {
	t.Helper()
	var sts []engine.Statement
	for _, s := range sqls {
		sts = append(sts, engine.Statement{SQL: s})
	}
	if _, err := e.Exec(context.Background(), "main", sts, engine.ExecOptions{}); err != nil {
		t.Fatalf("exec %v: %v", sqls, err)
	}
}

// collect gathers the events the log holds after from.
func collect(t *testing.T, f *Feed, from Position, flt Filter) []*Event {
	t.Helper()
	var out []*Event
	if _, err := f.Catch(t.Context(), "main", from, flt, func(ev *Event) error {
		out = append(out, ev)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func describe(evs []*Event) string {
	var parts []string
	for _, ev := range evs {
		parts = append(parts, ev.Table+"/"+ev.Op+"/"+string(ev.Key))
	}
	return strings.Join(parts, " ")
}

func TestFeed_EventsResumeAndFilters(t *testing.T) {
	e := openEngine(t)
	f := NewFeed(e, Options{Cluster: "c1"})
	exec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)", "CREATE TABLE u(k TEXT PRIMARY KEY, b BLOB)")
	head, _ := e.LogHead("main")
	start := End(head)
	exec(t, e, "INSERT INTO t(id, v) VALUES (1, 'a'), (2, 'b')", "INSERT INTO u VALUES ('x', x'00ff')")
	exec(t, e, "UPDATE t SET v = 'c' WHERE id = 1", "DELETE FROM t WHERE id = 2")

	all := collect(t, f, start, Filter{})
	if got, want := describe(all), `t/c/{"id":1} t/c/{"id":2} u/c/{"k":"x"} t/u/{"id":1} t/d/{"id":2}`; got != want {
		t.Fatalf("events:\n got %s\nwant %s", got, want)
	}
	if string(all[2].After) != `{"k":"x","b":"AP8="}` {
		t.Errorf("blob row %s, want base64 AP8=", all[2].After)
	}
	if string(all[3].Before) != `{"id":1,"v":"a"}` || string(all[3].After) != `{"id":1,"v":"c"}` {
		t.Errorf("update before %s after %s", all[3].Before, all[3].After)
	}
	if all[4].After != nil || string(all[4].Before) != `{"id":2,"v":"b"}` {
		t.Errorf("delete before %s after %s", all[4].Before, all[4].After)
	}
	// resuming from any event's position gives exactly the events after it
	for i, ev := range all {
		id, err := ParsePosition(ev.Pos.String())
		if err != nil {
			t.Fatal(err)
		}
		if got, want := describe(collect(t, f, id, Filter{})), describe(all[i+1:]); got != want {
			t.Errorf("resume after %s:\n got %s\nwant %s", id, got, want)
		}
	}
	onlyT := collect(t, f, start, Filter{Tables: map[string]bool{"t": true}, Ops: map[string]bool{"u": true, "d": true}})
	if got := describe(onlyT); got != `t/u/{"id":1} t/d/{"id":2}` {
		t.Errorf("filtered events %s", got)
	}
	if evs := collect(t, f, start, Filter{Origin: "someone-else"}); len(evs) != 0 {
		t.Errorf("origin filter let through %s", describe(evs))
	}
}

func TestFeed_FollowWaitsForNewChanges(t *testing.T) {
	e := openEngine(t)
	f := NewFeed(e, Options{})
	exec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY)")
	head, _ := e.LogHead("main")
	got := make(chan *Event, 10)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- f.Follow(ctx, "main", End(head), Filter{}, func(ev *Event) error { got <- ev; return nil })
	}()
	exec(t, e, "INSERT INTO t(id) VALUES (7)")
	select {
	case ev := <-got:
		if string(ev.Key) != `{"id":7}` || ev.Op != "c" {
			t.Fatalf("event %+v", ev)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no event for the insert")
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Follow ended with %v, want context.Canceled", err)
	}
}

func TestFeed_SnapshotThenFollowHasNoGapOrOverlap(t *testing.T) {
	e := openEngine(t)
	f := NewFeed(e, Options{})
	exec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
	for i := range 2500 { // more than one snapshot page
		exec(t, e, "INSERT INTO t(v) VALUES ('r"+string(rune('a'+i%26))+"')")
	}
	var rows []*Event
	at, err := f.Snapshot(t.Context(), "main", Filter{}, func(ev *Event) error {
		if len(rows) == 0 {
			exec(t, e, "INSERT INTO t(id, v) VALUES (-1, 'during')") // lands after the snapshot's view
		}
		rows = append(rows, ev)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2500 || rows[len(rows)-1].Snapshot != "last" || rows[0].Snapshot != "true" || rows[0].Op != "r" {
		t.Fatalf("snapshot: %d rows, last %+v", len(rows), rows[len(rows)-1])
	}
	for _, ev := range rows {
		if strings.Contains(string(ev.After), "during") {
			t.Fatal("the snapshot holds a row written after its view began")
		}
	}
	after := collect(t, f, at, Filter{})
	if describe(after) != `t/c/{"id":-1}` {
		t.Fatalf("events after the snapshot: %s", describe(after))
	}
}

func TestMarshal_DebeziumEnvelope(t *testing.T) {
	e := openEngine(t)
	o := Options{Cluster: "prod", Version: "1.2.3", Transactions: true, Now: func() time.Time { return time.UnixMilli(42) }}
	f := NewFeed(e, o)
	exec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL, r REAL)")
	head, _ := e.LogHead("main")
	exec(t, e, "INSERT INTO t VALUES (1, 'a', 1.5)")
	ev := collect(t, f, End(head), Filter{})[0]
	table, _ := f.Table(t.Context(), "main", "t")
	b, err := f.Options().Marshal(ev, table)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Before      any            `json:"before"`
		After       map[string]any `json:"after"`
		Op          string         `json:"op"`
		TsMs        int64          `json:"ts_ms"`
		Source      map[string]any `json:"source"`
		Transaction map[string]any `json:"transaction"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	if got.Before != nil || got.After["v"] != "a" || got.Op != "c" || got.TsMs != 42 {
		t.Fatalf("envelope %s", b)
	}
	s := got.Source
	if s["connector"] != "warren" || s["name"] != "prod" || s["version"] != "1.2.3" || s["db"] != "main" || s["table"] != "t" ||
		s["origin"] != e.NodeID() || s["snapshot"] != "false" || s["change_id"] != ev.ID() || s["pos"] != ev.Pos.String() {
		t.Fatalf("source %v", s)
	}
	if ms, _ := s["ts_ms"].(float64); int64(ms) != ev.HLC.Wall().UnixMilli() {
		t.Fatalf("source.ts_ms %v, want the change's HLC wall time %d", s["ts_ms"], ev.HLC.Wall().UnixMilli())
	}
	if got.Transaction["id"] != ev.TxID() || got.Transaction["total_order"] != float64(1) {
		t.Fatalf("transaction %v", got.Transaction)
	}

	o.Schemas = true
	b, err = o.Marshal(ev, table)
	if err != nil {
		t.Fatal(err)
	}
	var withSchema struct {
		Schema struct {
			Name   string `json:"name"`
			Fields []struct {
				Field  string `json:"field"`
				Fields []struct {
					Type     string `json:"type"`
					Optional bool   `json:"optional"`
					Field    string `json:"field"`
				} `json:"fields"`
			} `json:"fields"`
		} `json:"schema"`
		Payload map[string]any `json:"payload"`
	}
	if err := json.Unmarshal(b, &withSchema); err != nil {
		t.Fatal(err)
	}
	if withSchema.Schema.Name != "prod.main.t.Envelope" || withSchema.Payload["op"] != "c" {
		t.Fatalf("schema form %s", b)
	}
	after := withSchema.Schema.Fields[1]
	if after.Field != "after" || len(after.Fields) != 3 || after.Fields[0].Type != "int64" || after.Fields[0].Optional ||
		after.Fields[1].Type != "string" || after.Fields[1].Optional || after.Fields[2].Type != "double" || !after.Fields[2].Optional {
		t.Fatalf("row schema %+v", after)
	}
	key, _ := o.MarshalKey(ev, table)
	if !strings.Contains(string(key), `"payload":{"id":1}`) || !strings.Contains(string(key), `"name":"prod.main.t.Key"`) {
		t.Fatalf("key %s", key)
	}
}

func TestParsePosition(t *testing.T) {
	for in, want := range map[string]Position{"12-3": {12, 3}, "12": End(12), " 0-0 ": {0, 0}} {
		if got, err := ParsePosition(in); err != nil || got != want {
			t.Errorf("ParsePosition(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "x", "-1", "1-", "1--2", "1-x", "99999999999999999999"} {
		if _, err := ParsePosition(bad); err == nil {
			t.Errorf("ParsePosition(%q) accepted", bad)
		}
	}
}

func FuzzParsePosition(f *testing.F) {
	for _, s := range []string{"12-3", "0", "1-", "9223372036854775807-2147483647"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePosition(s)
		if err != nil {
			return
		}
		if q, err := ParsePosition(p.String()); err != nil || q != p {
			t.Fatalf("%q -> %v -> %q -> %v, %v", s, p, p.String(), q, err)
		}
	})
}

// TestFeed_OmitsChangesThatLostHere: a node that got an origin's delete of
// row 3 before the insert of it (a ONE push overtaking a QUORUM commit) has
// no row 3; its feed must not show the late insert, or a consumer replaying
// the feed would end up with a row the database does not have.
func TestFeed_OmitsChangesThatLostHere(t *testing.T) {
	a, b := openEngine(t), openEngine(t)
	exec(t, a, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
	exec(t, a, "INSERT INTO t(id, v) VALUES (1, 'a'), (3, 'c')")
	exec(t, a, "DELETE FROM t WHERE id = 3")
	sets, err := a.ChangesSince(t.Context(), "main", engine.Vector{}, 0)
	if err != nil || len(sets) != 3 {
		t.Fatalf("a's sets: %v %d", err, len(sets))
	}
	head, _ := b.LogHead("main")
	for _, cs := range []*engine.ChangeSet{sets[0], sets[2], sets[1]} {
		if err := b.Apply(t.Context(), "main", cs); err != nil {
			t.Fatal(err)
		}
	}
	evs := collect(t, NewFeed(b, Options{}), End(head), Filter{Tables: map[string]bool{"t": true}})
	if got, want := describe(evs), `t/d/{"id":3} t/c/{"id":1}`; got != want {
		t.Fatalf("b's feed:\n got %s\nwant %s", got, want)
	}
	if evs[1].Index != 0 || evs[1].ID() != evs[1].DB+":"+a.NodeID()+":2:0" {
		t.Errorf("the insert of row 1 keeps its place in the set: index %d, id %s", evs[1].Index, evs[1].ID())
	}
}
