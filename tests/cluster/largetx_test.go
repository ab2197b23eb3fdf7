package cluster

import (
	"net/http"
	"testing"
)

// TestCluster_TransactionTooLargeToReplicate: peers receive a transaction's
// changes in one message, so one larger than max_transaction_bytes is
// refused with 413 too_large, at ONE as at QUORUM, and is on no node;
// before, a ONE write that large committed on its node and never reached
// the others. One under the limit reaches every node.
func TestCluster_TransactionTooLargeToReplicate(t *testing.T) {
	c := startCluster(t, 3, "--max-transaction-bytes", "1MiB")
	n1 := c.Nodes[0]
	n1.MustExec("main", "quorum", Stmt{SQL: "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)"})
	insert := func(rows int) Stmt { // rows of 4 KiB each
		return Stmt{SQL: "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < ?) INSERT INTO t(v) SELECT hex(randomblob(2048)) FROM r",
			Params: []any{rows}}
	}
	for _, level := range []string{"one", "quorum"} {
		res, err := n1.Exec("main", level, insert(400))
		if err != nil || res.Status != http.StatusRequestEntityTooLarge || res.Error == nil || res.Error.Code != "too_large" {
			t.Fatalf("1.6 MiB transaction at %s: status %d, error %+v, %v", level, res.Status, res.Error, err)
		}
	}
	n1.MustExec("main", "one", insert(200))
	if got := eventuallyConverged(t, c.Nodes, "main", "t"); len(got) != 200 {
		t.Fatalf("the nodes agree on %s, want the 200 rows of the transaction under the limit", got.Checksum())
	}
}
