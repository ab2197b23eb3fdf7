package replication

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/warren-db/warren/engine"
)

func TestChunkSets_KeepsOrderAndBudget(t *testing.T) {
	set := func(seq uint64, bytes int) *engine.ChangeSet {
		return &engine.ChangeSet{Origin: "n1", Seq: seq, Changes: []engine.RowChange{
			{Table: "t", Op: "c", PK: json.RawMessage("[1]"), After: json.RawMessage(`"` + strings.Repeat("x", bytes) + `"`)}}}
	}
	sets := []*engine.ChangeSet{set(1, 100), set(2, 100), set(3, 5000), set(4, 100), set(5, 100), set(6, 100)}
	budget := sets[0].Size() * 2
	var got [][]uint64
	for _, run := range chunkSets(sets, budget) {
		var seqs []uint64
		size := 0
		for _, cs := range run {
			seqs = append(seqs, cs.Seq)
			size += cs.Size()
		}
		if size > budget && len(run) > 1 {
			t.Errorf("run %v of %d bytes, budget %d", seqs, size, budget)
		}
		got = append(got, seqs)
	}
	if fmt.Sprint(got) != "[[1 2] [3] [4 5] [6]]" {
		t.Fatalf("runs %v", got)
	}
	if chunkSets(nil, budget) != nil {
		t.Fatal("no sets make no run")
	}
}

// largeOpts shrink the transport's largest message to 128 KiB, so that
// what large client transactions change is larger than one message.
var largeOpts = testClusterOpts{maxFrame: 128 << 10, messageBytes: 32 << 10, maxTxBytes: 100 << 10}

// fill is a statement inserting rows rows of 1 KiB of text.
func fill(rows int) engine.Statement {
	return engine.Statement{SQL: "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < ?) INSERT INTO t(v) SELECT hex(randomblob(512)) FROM r",
		Params: engine.Params{Positional: []engine.Value{int64(rows)}}}
}

func countOn(t *testing.T, n *testNode) int64 {
	rows := n.rows(t, "SELECT count(*) FROM t")
	if len(rows) == 0 {
		return -1
	}
	return rows[0][0].(int64)
}

// A group commit whose client transactions fit one by one but not together
// in a message reaches its quorum: its sets travel in several prepares.
func TestNode_LargeGroupCommitIsPreparedInSeveralMessages(t *testing.T) {
	nodes := startCluster(t, 3, largeOpts)
	nodes[0].mustExec(t, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
	sts := []engine.Statement{fill(60), fill(60), fill(60)} // 60 KiB each, 180 KiB together
	resp, err := nodes[0].eng.Exec(context.Background(), "main", sts, engine.ExecOptions{Consistency: engine.ConsistencyAll, NonAtomic: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, err := range resp.Errors {
		if err != nil {
			t.Fatalf("statement %d: %v", i, err)
		}
	}
	for _, n := range nodes {
		waitFor(t, 10*time.Second, "the 180 rows on "+n.id, func() bool { return countOn(t, n) == 180 })
	}
}

// A node that missed more than one message holds catches up by
// anti-entropy, page by page, rather than waiting for a snapshot.
func TestNode_CatchUpLargerThanAMessageArrivesInPages(t *testing.T) {
	nodes := startCluster(t, 3, largeOpts)
	nodes[0].mustExec(t, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
	waitFor(t, 10*time.Second, "table on n3", func() bool { return countOn(t, nodes[2]) == 0 })
	isolate(nodes, 2)
	for range 30 { // 10 KiB each, 300 KiB together
		if _, err := nodes[0].eng.Exec(context.Background(), "main", []engine.Statement{fill(10)}, engine.ExecOptions{Consistency: engine.ConsistencyOne}); err != nil {
			t.Fatal(err)
		}
	}
	healAll(nodes)
	waitFor(t, 20*time.Second, "the 300 rows on n3", func() bool { return countOn(t, nodes[2]) == 300 })
}
