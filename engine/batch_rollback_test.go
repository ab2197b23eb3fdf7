package engine

import (
	"context"
	"fmt"
	"testing"
)

// A statement whose conflict resolution is ROLLBACK ends the group commit's
// whole transaction, savepoints and all. Its request fails with its own
// error; the requests committed with it are run again, and each is answered
// once, truthfully: nothing answered as failed is in the file, nothing
// answered as written is missing.
func TestBatch_RollbackConflictFailsOnlyItsRequest(t *testing.T) {
	for name, bad := range map[string]string{
		"or rollback":   "INSERT OR ROLLBACK INTO t(id, v) VALUES (1000, 'taken')",
		"raise":         "INSERT INTO guard VALUES (1)",
		"table default": "INSERT INTO firm(id, v) VALUES (2, 'taken')",
	} {
		t.Run(name, func(t *testing.T) {
			e := openNode(t, "n1")
			f := &fakeReplicator{}
			e.SetReplicator(f)
			mustExec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, v UNIQUE)", "INSERT INTO t(id, v) VALUES (1, 'taken')",
				"CREATE TABLE guard(x)", "CREATE TRIGGER no_guard BEFORE INSERT ON guard BEGIN SELECT RAISE(ROLLBACK, 'guarded'); END",
				"CREATE TABLE firm(id INTEGER PRIMARY KEY, v UNIQUE ON CONFLICT ROLLBACK)", "INSERT INTO firm(id, v) VALUES (1, 'taken')")
			before := len(ownSets(t, e))
			const n = 30
			errs := make([]error, n)
			inOneBatch(t, e, n, func(i int) {
				sql := fmt.Sprintf("INSERT INTO t(id, v) VALUES (%d, 'v%d')", 10+i, i)
				if i%10 == 5 {
					sql = bad
				}
				_, errs[i] = e.Exec(context.Background(), "main", []Statement{{SQL: sql}}, ExecOptions{})
			})
			for i, err := range errs {
				if (i%10 == 5) != (err != nil) {
					t.Fatalf("request %d: %v", i, err)
				}
			}
			if got := mustQuery(t, e, "SELECT count(*) FROM t WHERE id >= 10"); got[0][0] != int64(n-3) {
				t.Fatalf("%v rows written, want %d", got[0][0], n-3)
			}
			rows := 0
			for _, cs := range ownSets(t, e)[before:] {
				rows += len(cs.Changes)
			}
			if rows != n-3 || len(f.prepared) != len(ownSets(t, e)) {
				t.Fatalf("%d rows in the log, %d sets prepared of %d", rows, len(f.prepared), len(ownSets(t, e)))
			}
			if got := mustQuery(t, e, "SELECT count(*) FROM __warren_changes WHERE pos IS NULL"); got[0][0] != int64(0) {
				t.Fatal("changes left unstamped")
			}
		})
	}
}

// In an interactive transaction such a statement ends the transaction: the
// statement gets its error, and every later operation says it was rolled back.
func TestTx_RollbackConflictEndsTransaction(t *testing.T) {
	e := openNode(t, "n1")
	mustExec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, v UNIQUE)", "INSERT INTO t VALUES (1, 'taken')")
	ctx := context.Background()
	tx, err := e.Begin(ctx, "main", TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, Statement{SQL: "INSERT INTO t VALUES (2, 'a')"}); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, Statement{SQL: "INSERT OR ROLLBACK INTO t VALUES (3, 'taken')"}); ErrorCode(err) != CodeConstraint {
		t.Fatalf("want the constraint error, got %v", err)
	}
	if _, err := tx.Exec(ctx, Statement{SQL: "INSERT INTO t VALUES (4, 'b')"}); ErrorCode(err) != CodeTxNotFound {
		t.Fatalf("a statement after the rollback: %v", err)
	}
	if _, err := tx.Commit(ctx); ErrorCode(err) != CodeTxNotFound {
		t.Fatalf("commit after the rollback: %v", err)
	}
	if got := mustQuery(t, e, "SELECT count(*) FROM t"); got[0][0] != int64(1) {
		t.Fatalf("%v rows: the rolled-back transaction left rows", got[0][0])
	}
	mustExec(t, e, "INSERT INTO t VALUES (5, 'c')") // the writer goes on
}
