package engine

import (
	"encoding/json"
	"slices"
	"testing"
)

func openRegistryTest(t *testing.T, nodeID, dir string) *Engine {
	t.Helper()
	cfg := testConfig(t)
	cfg.NodeID = nodeID
	if dir != "" {
		cfg.DataDir = dir
	}
	e, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

func registryValue(t *testing.T, e *Engine, kind, name string) string {
	t.Helper()
	rec, ok := e.Registry(kind)[name]
	if !ok {
		return ""
	}
	return string(rec.Value)
}

func TestRegistry_PutDeleteAndReopen(t *testing.T) {
	dir := t.TempDir()
	e := openRegistryTest(t, "a", dir)
	if err := e.RegistryPut("user", "app", json.RawMessage(`{"pw": "x"}`)); err != nil {
		t.Fatal(err)
	}
	if err := e.RegistryPut("user", "old", json.RawMessage(`1`)); err != nil {
		t.Fatal(err)
	}
	if err := e.RegistryDelete("user", "old"); err != nil {
		t.Fatal(err)
	}
	if err := e.RegistryPut("user", "bad", json.RawMessage(`{`)); err == nil {
		t.Fatal("a value that is not JSON was accepted")
	}
	if got := registryValue(t, e, "user", "app"); got != `{"pw":"x"}` {
		t.Fatalf("app = %q", got)
	}
	if _, ok := e.Registry("user")["old"]; ok {
		t.Fatal("deleted record is still live")
	}
	e.Close()

	e = openRegistryTest(t, "a", dir)
	live := e.Registry("user")
	if len(live) != 1 || string(live["app"].Value) != `{"pw":"x"}` || live["app"].Origin != "a" {
		t.Fatalf("after reopen: %+v", live)
	}
	if rec := e.RegistryAll()["user"]["old"]; !rec.Deleted || rec.HLC == 0 {
		t.Fatalf("tombstone after reopen: %+v", rec)
	}
}

func TestRegistry_MergeLastWriteWins(t *testing.T) {
	a := openRegistryTest(t, "a", "")
	b := openRegistryTest(t, "b", "")
	if err := a.RegistryPut("user", "app", json.RawMessage(`"from a"`)); err != nil {
		t.Fatal(err)
	}
	if err := b.RegistryPut("user", "app", json.RawMessage(`"from b"`)); err != nil { // later HLC
		t.Fatal(err)
	}
	var seen []string
	a.OnRegistryChange(func(kind string) { seen = append(seen, kind) })

	if changed, err := a.MergeRegistry(b.RegistryAll()); err != nil || !slices.Equal(changed, []string{"user"}) {
		t.Fatalf("merge b into a: %v, %v", changed, err)
	}
	if changed, err := b.MergeRegistry(a.RegistryAll()); err != nil || len(changed) != 0 {
		t.Fatalf("merge a into b changed %v, %v", changed, err)
	}
	for _, e := range []*Engine{a, b} {
		if got := registryValue(t, e, "user", "app"); got != `"from b"` {
			t.Fatalf("%s: app = %s, want the later write", e.NodeID(), got)
		}
	}
	if !slices.Equal(seen, []string{"user"}) {
		t.Fatalf("change callback saw %v", seen)
	}

	// a writes again after observing b's clock: its write wins on b.
	if err := a.RegistryPut("user", "app", json.RawMessage(`"a again"`)); err != nil {
		t.Fatal(err)
	}
	if _, err := b.MergeRegistry(a.RegistryAll()); err != nil {
		t.Fatal(err)
	}
	if got := registryValue(t, b, "user", "app"); got != `"a again"` {
		t.Fatalf("b: app = %s", got)
	}
}

func TestRegistry_TombstoneBeatsOlderPut(t *testing.T) {
	a := openRegistryTest(t, "a", "")
	b := openRegistryTest(t, "b", "")
	if err := a.RegistryPut("user", "app", json.RawMessage(`1`)); err != nil {
		t.Fatal(err)
	}
	old := a.RegistryAll()
	if _, err := b.MergeRegistry(old); err != nil {
		t.Fatal(err)
	}
	if err := b.RegistryDelete("user", "app"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.MergeRegistry(b.RegistryAll()); err != nil {
		t.Fatal(err)
	}
	if changed, err := b.MergeRegistry(old); err != nil || len(changed) != 0 { // the older put again
		t.Fatalf("older put changed %v, %v", changed, err)
	}
	for _, e := range []*Engine{a, b} {
		if _, ok := e.Registry("user")["app"]; ok {
			t.Fatalf("%s: deleted record came back", e.NodeID())
		}
	}
}

func TestRegistry_TieBrokenByOrigin(t *testing.T) {
	a := openRegistryTest(t, "a", "")
	remote := map[string]map[string]RegistryRecord{"user": {
		"app": {Value: json.RawMessage(`"z"`), HLC: 1 << 40, Origin: "z"},
	}}
	low := map[string]map[string]RegistryRecord{"user": {
		"app": {Value: json.RawMessage(`"b"`), HLC: 1 << 40, Origin: "b"},
	}}
	if _, err := a.MergeRegistry(remote); err != nil {
		t.Fatal(err)
	}
	if changed, err := a.MergeRegistry(low); err != nil || len(changed) != 0 {
		t.Fatalf("same HLC, lower origin changed %v, %v", changed, err)
	}
	if got := registryValue(t, a, "user", "app"); got != `"z"` {
		t.Fatalf("app = %s", got)
	}
}
