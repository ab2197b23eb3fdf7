package engine

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"
)

// A group commit stamps its requests' row changes into one change set; a
// unit that changes the schema gets a set of its own, after the changes
// made before it, so that a peer applies every set under its schema.
func TestStampBatch_OneSetPerGroupCommitDDLApart(t *testing.T) {
	e := openNode(t, "n1")
	mustExec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, u TEXT UNIQUE, v)")
	resp, err := e.Exec(context.Background(), "main", []Statement{
		{SQL: "INSERT INTO t(id, u) VALUES (1, 'a')"},
		{SQL: "INSERT INTO t(id, u) VALUES (2, 'a')"}, // fails alone
		{SQL: "UPDATE t SET v = 'x' WHERE id = 7"},    // changes nothing
		{SQL: "INSERT INTO t(id, u) VALUES (3, 'b')"},
		{SQL: "ALTER TABLE t DROP COLUMN v"}, // the two rows above carry v: they must be stamped before it
		{SQL: "INSERT INTO t(id, u) VALUES (4, 'c')"},
		{SQL: "DELETE FROM t WHERE id = 1"},
	}, ExecOptions{NonAtomic: true})
	if err != nil {
		t.Fatal(err)
	}
	if ErrorCode(resp.Errors[1]) != CodeConstraint || resp.Errors[0] != nil || resp.Errors[4] != nil {
		t.Fatalf("errors %v", resp.Errors)
	}
	sets := ownSets(t, e)[1:] // after the CREATE
	if len(sets) != 3 {
		t.Fatalf("want 3 sets (rows, schema, rows), got %d", len(sets))
	}
	want := [][]string{{"c1", "c3"}, {}, {"c4", "d1"}}
	for i, cs := range sets {
		var got []string
		for _, ch := range cs.Changes {
			got = append(got, ch.Op+string(ch.PK[1:len(ch.PK)-1]))
		}
		if !slices.Equal(got, want[i]) || (len(cs.Schema) > 0) != (i == 1) {
			t.Fatalf("set %d: changes %v schema %d, want %v", i, got, len(cs.Schema), want[i])
		}
	}
	peer := openNode(t, "n2")
	applyAll(t, peer, ownSets(t, e))
	if a, b := mustQuery(t, e, "SELECT * FROM t ORDER BY id"), mustQuery(t, peer, "SELECT * FROM t ORDER BY id"); !slices.EqualFunc(a, b, slices.Equal) || len(a) != 2 {
		t.Fatalf("origin %v, peer %v", a, b)
	}
}

// Requests committed together share one set, and each answer's bookmark
// names it. An interactive transaction holds the writer while they queue.
func TestStampBatch_ConcurrentRequestsShareASet(t *testing.T) {
	e := openNode(t, "n1")
	mustExec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, v)")
	const n = 40
	marks := make([]Bookmark, n)
	inOneBatch(t, e, n, func(i int) {
		resp, err := e.Exec(context.Background(), "main", []Statement{{SQL: "INSERT INTO t(id, v) VALUES (?, 'x')", Params: Params{Positional: []Value{int64(i)}}}}, ExecOptions{})
		if err != nil {
			t.Error(err)
			return
		}
		marks[i] = resp.Bookmark
	})
	sets := ownSets(t, e)[1:]
	if len(sets) != 1 || len(sets[0].Changes) != n {
		t.Fatalf("%d sets: want one set of %d rows", len(sets), n)
	}
	for i, m := range marks {
		if v, err := m.Vector(); err != nil || v[e.NodeID()] != sets[0].Seq {
			t.Fatalf("request %d: bookmark %s (%v), the set is %d", i, m, err, sets[0].Seq)
		}
	}
}

// inOneBatch runs fn(0..n-1) concurrently while a transaction holds e's
// writer, so that the requests they make queue into one batch, then lets
// the writer go and waits for them all.
func inOneBatch(t *testing.T, e *Engine, n int, fn func(i int)) {
	t.Helper()
	ctx := context.Background()
	tx, err := e.Begin(ctx, "main", TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { fn(i) })
	}
	d, err := e.db("main")
	if err != nil {
		t.Fatal(err)
	}
	for len(d.writer.reqs) < n {
		time.Sleep(time.Millisecond)
	}
	if _, err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
}
