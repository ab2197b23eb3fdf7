package engine

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"reflect"
	"testing"
)

var convergencePerms = flag.Int("convergence.perms", 200, "delivery orders tried by TestConvergence_AnyOrder")

const convergenceSchema = "CREATE TABLE t(id INTEGER PRIMARY KEY, u TEXT UNIQUE, v INTEGER)"

// randomTxn runs a random small transaction on an origin; failures
// (a local UNIQUE violation, say) are part of the game and ignored.
func randomTxn(rng *rand.Rand, e *Engine) {
	var sts []Statement
	for range 1 + rng.Intn(3) {
		id, u, v := int64(1+rng.Intn(6)), fmt.Sprintf("u%d", rng.Intn(4)), int64(rng.Intn(100))
		switch rng.Intn(5) {
		case 0, 1:
			sts = append(sts, Statement{SQL: "INSERT INTO t(id, u, v) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET u = excluded.u, v = excluded.v",
				Params: Params{Positional: []Value{id, u, v}}})
		case 2:
			sts = append(sts, Statement{SQL: "UPDATE t SET v = ? WHERE id = ?", Params: Params{Positional: []Value{v, id}}})
		case 3:
			sts = append(sts, Statement{SQL: "UPDATE t SET u = ? WHERE id = ?", Params: Params{Positional: []Value{u, id}}})
		case 4:
			sts = append(sts, Statement{SQL: "DELETE FROM t WHERE id = ?", Params: Params{Positional: []Value{id}}})
		}
	}
	e.Exec(context.Background(), "main", sts, ExecOptions{})
}

func openNode(t testing.TB, id string) *Engine {
	cfg := testConfig(t)
	cfg.NodeID, cfg.ReadConns = id, 1
	e, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// ownSets returns the change sets that originated on e.
func ownSets(t testing.TB, e *Engine) []*ChangeSet {
	all, err := e.ChangesSince(context.Background(), "main", Vector{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var own []*ChangeSet
	for _, cs := range all {
		if cs.Origin == e.NodeID() {
			own = append(own, cs)
		}
	}
	return own
}

func applyAll(t testing.TB, e *Engine, sets []*ChangeSet) {
	for _, cs := range sets {
		if err := e.Apply(context.Background(), "main", cs); err != nil {
			t.Fatalf("apply %s/%d: %v", cs.Origin, cs.Seq, err)
		}
	}
}

func dump(t testing.TB, e *Engine) [][]Value {
	return mustQuery(t, e, "SELECT id, u, v FROM t ORDER BY id")
}

// TestConvergence_AnyOrder: random change sets from three origins, delivered
// in random orders to fresh databases, always give identical tables — and
// the same table the origins reach once they have each other's changes.
func TestConvergence_AnyOrder(t *testing.T) {
	const scenarios = 10
	for seed := range scenarios {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			convergenceScenario(t, int64(seed), max(1, *convergencePerms/scenarios))
		})
	}
}

func convergenceScenario(t *testing.T, seed int64, perms int) {
	rng := rand.New(rand.NewSource(seed))
	origins := []*Engine{openNode(t, "a"), openNode(t, "b"), openNode(t, "c")}
	for _, o := range origins {
		mustExec(t, o, convergenceSchema)
	}
	for round := range 30 {
		for _, o := range origins {
			randomTxn(rng, o)
		}
		if round%5 == 4 { // partial replication: one origin learns another's writes so far
			applyAll(t, origins[rng.Intn(3)], ownSets(t, origins[rng.Intn(3)]))
		}
	}
	var sets []*ChangeSet
	for _, o := range origins {
		sets = append(sets, ownSets(t, o)...)
	}
	t.Logf("%d change sets", len(sets))
	ddl := ownSets(t, origins[0])[0] // the CREATE TABLE travels as a change set
	if len(ddl.Schema) != 1 {
		t.Fatalf("first change set carries no DDL: %+v", ddl)
	}
	for _, o := range origins {
		applyAll(t, o, sets)
	}
	want := dump(t, origins[0])
	for i, o := range origins[1:] {
		if got := dump(t, o); !reflect.DeepEqual(got, want) {
			t.Fatalf("origin %d differs:\n got %v\nwant %v", i+1, got, want)
		}
	}
	for p := range perms {
		replica := openNode(t, fmt.Sprintf("r%d", p))
		applyAll(t, replica, []*ChangeSet{ddl})
		order := append([]*ChangeSet(nil), sets...)
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		applyAll(t, replica, order)
		if got := dump(t, replica); !reflect.DeepEqual(got, want) {
			t.Fatalf("order %d differs:\n got %v\nwant %v", p, got, want)
		}
		replica.Close()
	}
}

// TestApply_Idempotent: applying a set twice changes nothing.
func TestApply_Idempotent(t *testing.T) {
	a, b := openNode(t, "a"), openNode(t, "b")
	mustExec(t, a, convergenceSchema)
	mustExec(t, b, convergenceSchema)
	mustExec(t, a, "INSERT INTO t(id, u, v) VALUES (1, 'x', 1)")
	sets := ownSets(t, a)
	applyAll(t, b, sets)
	applyAll(t, b, sets)
	if got := dump(t, b); len(got) != 1 {
		t.Fatalf("rows %v", got)
	}
	v, _ := b.Vector("main")
	if v["a"] != 2 { // a's CREATE TABLE and INSERT
		t.Fatalf("vector %v", v)
	}
}

// TestFeed_ReplayGivesTable: whatever order a node receives change sets in,
// replaying its log without the lost row changes (c and u as upserts of
// after, d as deletes) gives its table. The schema has no UNIQUE index:
// rows displaced by a collision are not row changes of their own.
func TestFeed_ReplayGivesTable(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	origins := []*Engine{openNode(t, "a"), openNode(t, "b"), openNode(t, "c")}
	for _, o := range origins {
		mustExec(t, o, "CREATE TABLE t(id INTEGER PRIMARY KEY, u TEXT, v INTEGER)")
	}
	for range 30 {
		for _, o := range origins {
			randomTxn(rng, o)
		}
	}
	var sets []*ChangeSet
	for _, o := range origins {
		sets = append(sets, ownSets(t, o)...)
	}
	ddl := ownSets(t, origins[0])[0]
	lost := 0
	for p := range max(1, *convergencePerms/10) {
		replica := openNode(t, fmt.Sprintf("r%d", p))
		applyAll(t, replica, []*ChangeSet{ddl})
		order := append([]*ChangeSet(nil), sets...)
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		applyAll(t, replica, order)
		replayed, n := replayFeed(t, replica)
		lost += n
		if got := dump(t, replica); !reflect.DeepEqual(replayed, got) {
			t.Fatalf("order %d: the feed replays to\n %v\nthe table holds\n %v", p, replayed, got)
		}
		replica.Close()
	}
	if lost == 0 {
		t.Fatal("no delivery order made a row change lose: the test proves nothing")
	}
}

// replayFeed applies e's logged row changes, except lost ones, to an empty
// table and returns its rows as dump does, and how many were lost.
func replayFeed(t *testing.T, e *Engine) ([][]Value, int) {
	sets, err := e.ChangesAfter(t.Context(), "main", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	rows, lost := map[int64][]Value{}, 0
	for _, cs := range sets {
		for _, ch := range cs.Changes {
			var key []int64
			if err := json.Unmarshal(ch.PK, &key); err != nil {
				t.Fatal(err)
			}
			switch {
			case ch.Lost:
				lost++
			case ch.Op == "d":
				delete(rows, key[0])
			default:
				var img struct {
					ID int64  `json:"id"`
					U  string `json:"u"`
					V  int64  `json:"v"`
				}
				if err := json.Unmarshal(ch.After, &img); err != nil {
					t.Fatal(err)
				}
				rows[key[0]] = []Value{img.ID, img.U, img.V}
			}
		}
	}
	var out [][]Value
	for id := range int64(10) {
		if r, ok := rows[id]; ok {
			out = append(out, r)
		}
	}
	return out, lost
}

// TestVector_GapFilledAfterRestart: sets that arrive before the one they
// follow wait past a gap; when the gap fills, even after a restart, the
// vector moves past all of them.
func TestVector_GapFilledAfterRestart(t *testing.T) {
	a := openNode(t, "a")
	mustExec(t, a, "CREATE TABLE g(id INTEGER PRIMARY KEY, v TEXT)")
	for i := range 4 {
		mustExec(t, a, fmt.Sprintf("INSERT INTO g(v) VALUES ('%d')", i))
	}
	sets := ownSets(t, a) // the CREATE and four inserts: seq 1..5
	cfg := testConfig(t)
	cfg.NodeID, cfg.ReadConns = "b", 1
	b, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	applyAll(t, b, []*ChangeSet{sets[0], sets[1], sets[3], sets[4]}) // seq 3 is missing
	if v, _ := b.Vector("main"); v["a"] != 2 {
		t.Fatalf("vector past a gap: %v", v)
	}
	b.Close()
	if b, err = Open(cfg); err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	applyAll(t, b, []*ChangeSet{sets[2]})
	if v, _ := b.Vector("main"); v["a"] != 5 {
		t.Fatalf("vector after the gap filled: %v", v)
	}
	if got := mustQuery(t, b, "SELECT count(*) FROM g"); got[0][0] != int64(4) {
		t.Fatalf("rows %v", got)
	}
}
