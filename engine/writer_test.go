package engine

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/warren-db/warren/engine/internal/sqlite3"
)

func TestExec_AtomicBatchLeavesNothing(t *testing.T) {
	e := openTest(t)
	mustExec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, u TEXT UNIQUE)")
	_, err := e.Exec(context.Background(), "main", []Statement{
		{SQL: "INSERT INTO t(u) VALUES ('a')"},
		{SQL: "INSERT INTO t(u) VALUES ('b')"},
		{SQL: "INSERT INTO t(u) VALUES ('a')"},
	}, ExecOptions{})
	if ErrorCode(err) != CodeConstraint {
		t.Fatalf("want constraint error, got %v", err)
	}
	if got := mustQuery(t, e, "SELECT count(*) FROM t"); got[0][0] != int64(0) {
		t.Fatalf("rows left behind: %v", got)
	}
	if got := mustQuery(t, e, "SELECT count(*) FROM __warren_changes"); got[0][0] != int64(0) {
		t.Fatalf("changes left behind: %v", got)
	}
}

func TestExec_NonAtomic(t *testing.T) {
	e := openTest(t)
	mustExec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, u TEXT UNIQUE)")
	resp, err := e.Exec(context.Background(), "main", []Statement{
		{SQL: "INSERT INTO t(u) VALUES ('a')"},
		{SQL: "INSERT INTO t(u) VALUES ('a')"},
		{SQL: "INSERT INTO t(u) VALUES ('b')"},
	}, ExecOptions{NonAtomic: true})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Errors[0] != nil || ErrorCode(resp.Errors[1]) != CodeConstraint || resp.Errors[2] != nil {
		t.Fatalf("errors %v", resp.Errors)
	}
	if got := mustQuery(t, e, "SELECT u FROM t ORDER BY u"); len(got) != 2 {
		t.Fatalf("rows %v", got)
	}
}

func TestExec_ErrorsAreClassified(t *testing.T) {
	e := openTest(t)
	mustExec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, v NOT NULL)")
	cases := []struct {
		sql  string
		code Code
	}{
		{"INSERT INTO t(v) VALUES (NULL)", CodeConstraint},
		{"INSERT INTO nope VALUES (1)", CodeSQL},
		{"INSRT INTO t VALUES (1)", CodeSyntax},
		{"BEGIN", CodeInvalid},
		{"PRAGMA foreign_keys=ON", CodeInvalid},
		{"INSERT INTO t(v) VALUES (?)", CodeInvalid}, // missing parameter
	}
	for _, c := range cases {
		_, err := e.Exec(context.Background(), "main", []Statement{{SQL: c.sql}}, ExecOptions{})
		if ErrorCode(err) != c.code {
			t.Errorf("%s: got %v (%s), want %s", c.sql, err, ErrorCode(err), c.code)
		}
	}
	if _, err := e.Query(context.Background(), "main", Statement{SQL: "DELETE FROM t"}, QueryOptions{}); ErrorCode(err) != CodeReadOnly {
		t.Errorf("write through query: %v", err)
	}
	if _, err := e.Query(context.Background(), "nope", Statement{SQL: "SELECT 1"}, QueryOptions{}); ErrorCode(err) != CodeNotFound {
		t.Errorf("unknown database: %v", err)
	}
}

func TestParams_NamedAndPositional(t *testing.T) {
	e := openTest(t)
	rows, err := e.Query(context.Background(), "main", Statement{SQL: "SELECT :a, @b, $c",
		Params: Params{Named: map[string]Value{"a": int64(1), "b": "x", "c": []byte{1}}}}, QueryOptions{})
	if err != nil || rows.Rows[0][0] != int64(1) || rows.Rows[0][1] != "x" {
		t.Fatalf("named: %v %v", rows, err)
	}
	rows, err = e.Query(context.Background(), "main", Statement{SQL: "SELECT ?2, ?1",
		Params: Params{Positional: []Value{"one", "two"}}}, QueryOptions{})
	if err != nil || rows.Rows[0][0] != "two" {
		t.Fatalf("numbered: %v %v", rows, err)
	}
	_, err = e.Query(context.Background(), "main", Statement{SQL: "SELECT ?", Params: Params{Positional: []Value{1, 2}}}, QueryOptions{})
	if ErrorCode(err) != CodeInvalid {
		t.Fatalf("extra parameter: %v", err)
	}
}

func TestIDs_FromSlot(t *testing.T) {
	cfg := testConfig(t)
	cfg.Slot, cfg.Stride = 3, 8
	e, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	mustExec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, v)", "CREATE TABLE n(v)")
	resp := mustExec(t, e, "INSERT INTO t(v) VALUES (1), (2)", "INSERT INTO t VALUES (NULL, 3)",
		"INSERT INTO t(id, v) VALUES (100, 4)", "INSERT INTO t(v) SELECT v FROM t WHERE v < 3", "INSERT INTO n(v) VALUES (9)")
	got := mustQuery(t, e, "SELECT id FROM t ORDER BY id")
	want := []int64{3, 11, 19, 100, 107, 115}
	if len(got) != len(want) {
		t.Fatalf("ids %v", got)
	}
	for i, w := range want {
		if got[i][0] != w {
			t.Fatalf("ids %v want %v", got, want)
		}
	}
	if resp.Results[1].LastInsertID != 19 || resp.Results[2].LastInsertID != 100 {
		t.Fatalf("last insert ids %+v", resp.Results)
	}
	if r := mustQuery(t, e, "SELECT rowid FROM n"); r[0][0] != int64(3) {
		t.Fatalf("rowid table id %v", r)
	}
}

func TestTx_Interactive(t *testing.T) {
	e := openTest(t)
	ctx := context.Background()
	mustExec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, v)")
	tx, err := e.Begin(ctx, "main", TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, Statement{SQL: "INSERT INTO t(id, v) VALUES (1, 'x')"}); err != nil {
		t.Fatal(err)
	}
	rows, err := tx.Query(ctx, Statement{SQL: "SELECT v FROM t WHERE id = 1"})
	if err != nil || len(rows.Rows) != 1 {
		t.Fatalf("tx does not see its write: %v %v", rows, err)
	}
	if got := mustQuery(t, e, "SELECT count(*) FROM t"); got[0][0] != int64(0) {
		t.Fatal("uncommitted write visible outside")
	}
	// A write queued behind the transaction waits, then succeeds.
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		mustExec(t, e, "INSERT INTO t(id, v) VALUES (2, 'y')")
	}()
	if _, err := tx.Exec(ctx, Statement{SQL: "INSERT INTO t(id, v) VALUES (1, 'dup')"}); ErrorCode(err) != CodeConstraint {
		t.Fatalf("want constraint error, tx stays open: %v", err)
	}
	b, err := tx.Commit(ctx)
	if err != nil || b == "" {
		t.Fatalf("commit: %q %v", b, err)
	}
	wg.Wait()
	if got := mustQuery(t, e, "SELECT count(*) FROM t"); got[0][0] != int64(2) {
		t.Fatalf("rows %v", got)
	}
	if err := tx.Rollback(); !errors.Is(err, ErrTxDone) {
		t.Fatalf("rollback after commit: %v", err)
	}
	n := mustQuery(t, e, "SELECT count(*) FROM __warren_log")
	if n[0][0] != int64(3) { // CREATE TABLE, the transaction, the queued insert
		t.Fatalf("want one change set per transaction, got %v", n)
	}
}

func TestTx_RollbackAndIdle(t *testing.T) {
	cfg := testConfig(t)
	cfg.TxIdleTimeout = 100 * time.Millisecond
	e, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	ctx := context.Background()
	mustExec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY)")
	tx, _ := e.Begin(ctx, "main", TxOptions{})
	tx.Exec(ctx, Statement{SQL: "INSERT INTO t VALUES (1)"})
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	tx, _ = e.Begin(ctx, "main", TxOptions{})
	tx.Exec(ctx, Statement{SQL: "INSERT INTO t VALUES (2)"})
	time.Sleep(300 * time.Millisecond)
	if _, err := tx.Exec(ctx, Statement{SQL: "INSERT INTO t VALUES (3)"}); ErrorCode(err) != CodeTxNotFound {
		t.Fatalf("idle transaction still open: %v", err)
	}
	mustExec(t, e, "INSERT INTO t VALUES (4)") // the writer is free again
	if got := mustQuery(t, e, "SELECT id FROM t"); len(got) != 1 || got[0][0] != int64(4) {
		t.Fatalf("rows %v", got)
	}
	ro, err := e.Begin(ctx, "main", TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, e, "INSERT INTO t VALUES (5)")
	rows, _ := ro.Query(ctx, Statement{SQL: "SELECT count(*) FROM t"})
	if rows.Rows[0][0] != int64(1) {
		t.Fatalf("read-only tx does not keep its snapshot: %v", rows.Rows)
	}
	if _, err := ro.Exec(ctx, Statement{SQL: "INSERT INTO t VALUES (6)"}); ErrorCode(err) != CodeReadOnly {
		t.Fatalf("write in read-only tx: %v", err)
	}
	if _, err := ro.Commit(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestCapture_ExternalWriterIsStamped(t *testing.T) {
	cfg := testConfig(t)
	e, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	mustExec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, v)")
	other, err := sqlite3.Open(filepath.Join(cfg.DataDir, "main.db"), sqlite3.OpenReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	other.SetBusyTimeout(5000)
	if err := other.Exec("INSERT INTO t(id, v) VALUES (7, 'outside')"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		sets, _ := e.ChangesSince(context.Background(), "main", Vector{}, 0)
		for _, cs := range sets {
			for _, ch := range cs.Changes {
				if ch.Table == "t" && string(ch.PK) == "[7]" && cs.Origin == e.NodeID() {
					return
				}
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("external write was not stamped into a change set")
}

func TestQuery_TimeoutInterrupts(t *testing.T) {
	e := openTest(t)
	_, err := e.Query(context.Background(), "main", Statement{SQL: "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r) SELECT count(*) FROM r"},
		QueryOptions{Timeout: 50 * time.Millisecond})
	if ErrorCode(err) != CodeTimeout {
		t.Fatalf("want timeout, got %v", err)
	}
	if got := mustQuery(t, e, "SELECT 1"); got[0][0] != int64(1) {
		t.Fatal("connection unusable after interrupt")
	}
	_, err = e.Query(context.Background(), "main", Statement{SQL: "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r LIMIT 50) SELECT i FROM r"},
		QueryOptions{MaxRows: 10})
	if ErrorCode(err) != CodeTooLarge {
		t.Fatalf("want too large, got %v", err)
	}
}

func TestBookmark_WaitsForApply(t *testing.T) {
	a, b := openNode(t, "a"), openNode(t, "b")
	mustExec(t, a, "CREATE TABLE t(id INTEGER PRIMARY KEY, v)")
	mustExec(t, b, "CREATE TABLE t(id INTEGER PRIMARY KEY, v)")
	resp := mustExec(t, a, "INSERT INTO t(id, v) VALUES (1, 'x')")
	done := make(chan error, 1)
	go func() {
		rows, err := b.Query(context.Background(), "main", Statement{SQL: "SELECT count(*) FROM t"}, QueryOptions{Bookmark: resp.Bookmark})
		if err == nil && rows.Rows[0][0] != int64(1) {
			err = fmt.Errorf("read before apply: %v", rows.Rows)
		}
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	applyAll(t, b, ownSets(t, a))
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	_, err := b.Query(context.Background(), "main", Statement{SQL: "SELECT 1"}, QueryOptions{Bookmark: "a:99", Timeout: 50 * time.Millisecond})
	if ErrorCode(err) != CodeTimeout {
		t.Fatalf("want timeout for a bookmark never applied, got %v", err)
	}
}

// TestBookmark_WritesAndTransactionsWait: a write or a transaction that
// carries the bookmark of another node's write runs once that write is
// applied here, so an UPDATE finds the row instead of changing nothing.
func TestBookmark_WritesAndTransactionsWait(t *testing.T) {
	a, b := openNode(t, "a"), openNode(t, "b")
	mustExec(t, a, "CREATE TABLE t(id INTEGER PRIMARY KEY, v)")
	mustExec(t, b, "CREATE TABLE t(id INTEGER PRIMARY KEY, v)")
	ctx := context.Background()
	update := func(id int) Statement {
		return Statement{SQL: "UPDATE t SET v = 'edited' WHERE id = ?", Params: Params{Positional: []Value{int64(id)}}}
	}

	edited := func(what string, res Result, err error) error {
		if err == nil && res.RowsAffected != 1 {
			err = fmt.Errorf("%s ran before the insert was applied: %d rows", what, res.RowsAffected)
		}
		return err
	}
	mark := mustExec(t, a, "INSERT INTO t(id, v) VALUES (1, 'x')").Bookmark
	waitsForApply(t, a, b, "exec", func() error {
		resp, err := b.Exec(ctx, "main", []Statement{update(1)}, ExecOptions{Bookmark: mark})
		if err != nil {
			return err
		}
		return edited("exec", resp.Results[0], nil)
	})
	mark = mustExec(t, a, "INSERT INTO t(id, v) VALUES (2, 'x')").Bookmark
	waitsForApply(t, a, b, "transaction", func() error {
		tx, err := b.Begin(ctx, "main", TxOptions{Bookmark: mark})
		if err != nil {
			return err
		}
		res, err := tx.Exec(ctx, update(2))
		if err = edited("transaction", res, err); err != nil {
			tx.Rollback()
			return err
		}
		_, err = tx.Commit(ctx)
		return err
	})
	if got := mustQuery(t, b, "SELECT group_concat(v) FROM t"); got[0][0] != "edited,edited" {
		t.Fatalf("rows on b: %v", got)
	}

	_, err := b.Exec(ctx, "main", []Statement{{SQL: "INSERT INTO t(id, v) VALUES (3, 'lost')"}}, ExecOptions{Bookmark: "a:99", Timeout: 50 * time.Millisecond})
	if ErrorCode(err) != CodeTimeout {
		t.Fatalf("want timeout for a bookmark never applied, got %v", err)
	}
	if got := mustQuery(t, b, "SELECT count(*) FROM t WHERE id = 3"); got[0][0] != int64(0) {
		t.Fatal("a write whose bookmark timed out ran anyway")
	}
	if _, err := b.Exec(ctx, "main", []Statement{update(1)}, ExecOptions{Bookmark: "no-sequence"}); ErrorCode(err) != CodeInvalid {
		t.Fatalf("want invalid for a malformed bookmark, got %v", err)
	}
	if _, err := b.Begin(ctx, "main", TxOptions{Bookmark: "a:x"}); ErrorCode(err) != CodeInvalid {
		t.Fatalf("want invalid for a malformed bookmark, got %v", err)
	}
}

// waitsForApply runs fn, which must not finish before b has applied a's
// sets, applies them after a while and fails the test if fn does.
func waitsForApply(t *testing.T, a, b *Engine, what string, fn func() error) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- fn() }()
	time.Sleep(50 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("%s answered before its bookmark was applied: %v", what, err)
	default:
	}
	applyAll(t, b, ownSets(t, a))
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestDatabases_CreateListDrop(t *testing.T) {
	e := openTest(t)
	if err := e.CreateDatabase("shop"); err != nil {
		t.Fatal(err)
	}
	if err := e.CreateDatabase("shop"); ErrorCode(err) != CodeExists {
		t.Fatalf("duplicate: %v", err)
	}
	for _, bad := range []string{"", "../x", "a b", "__warren_x", "-x"} {
		if err := e.CreateDatabase(bad); ErrorCode(err) != CodeInvalid {
			t.Errorf("name %q accepted: %v", bad, err)
		}
	}
	if dbs := e.Databases(); len(dbs) != 2 || dbs[0].Name != "main" || dbs[1].Name != "shop" {
		t.Fatalf("list %+v", dbs)
	}
	if err := e.DropDatabase("shop"); err != nil {
		t.Fatal(err)
	}
	if err := e.DropDatabase("shop"); ErrorCode(err) != CodeNotFound {
		t.Fatalf("drop missing: %v", err)
	}
}

func TestIdentity_KeptAcrossRestarts(t *testing.T) {
	cfg := testConfig(t)
	e, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	id := e.NodeID()
	mustExec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY)", "INSERT INTO t VALUES (1)")
	e.Close()
	e, err = Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if e.NodeID() != id {
		t.Fatalf("node id changed: %s -> %s", id, e.NodeID())
	}
	resp := mustExec(t, e, "INSERT INTO t VALUES (2)")
	if v, _ := resp.Bookmark.Vector(); v[id] != 2 {
		t.Fatalf("sequence did not continue: %s", resp.Bookmark)
	}
	cfg.NodeID = "someone-else"
	if _, err := Open(cfg); ErrorCode(err) != CodeInvalid {
		t.Fatalf("foreign node id accepted: %v", err)
	}
}

func TestExec_MalformedInsertIsASyntaxError(t *testing.T) {
	e := openTest(t)
	mustExec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, v)")
	_, err := e.Exec(context.Background(), "main", []Statement{{SQL: "INSERT INTO t VALUE (1)"}}, ExecOptions{})
	if ErrorCode(err) != CodeSyntax {
		t.Fatalf("want sql_syntax, got %v (%s)", err, ErrorCode(err))
	}
}

func TestIDs_BoundAsParameters(t *testing.T) {
	e := openTest(t)
	mustExec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, a, b)")
	ctx := context.Background()
	run := func(sql string, p Params) Result {
		t.Helper()
		resp, err := e.Exec(ctx, "main", []Statement{{SQL: sql, Params: p}}, ExecOptions{})
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return resp.Results[0]
	}
	for i := range 3 { // the same text three times: one cached statement, fresh ids each time
		r := run("INSERT INTO t(a, b) VALUES (?, ?)", Params{Positional: []Value{int64(i), "x"}})
		if r.LastInsertID != int64(1+32*i) {
			t.Fatalf("insert %d got id %d", i, r.LastInsertID)
		}
	}
	run("INSERT INTO t(a, b) VALUES (?, ?), (?, ?)", Params{Positional: []Value{"r1a", "r1b", "r2a", "r2b"}})
	run("INSERT INTO t(id, a, b) VALUES (?, ?, ?)", Params{Positional: []Value{nil, "null-id", "y"}})
	run("INSERT INTO t(a, b) VALUES (:a, :b)", Params{Named: map[string]Value{"a": "named", "b": "z"}})
	got := mustQuery(t, e, "SELECT id, a, b FROM t WHERE id > 65 ORDER BY id")
	want := [][]Value{{int64(97), "r1a", "r1b"}, {int64(129), "r2a", "r2b"}, {int64(161), "null-id", "y"}, {int64(193), "named", "z"}}
	if len(got) != len(want) {
		t.Fatalf("rows %v", got)
	}
	for i := range want {
		if !valuesEqual(got[i], want[i]) {
			t.Fatalf("row %d: %v want %v", i, got[i], want[i])
		}
	}
	if _, err := e.Exec(ctx, "main", []Statement{{SQL: "INSERT INTO t(a, b) VALUES (?, ?)", Params: Params{Positional: []Value{1, 2, 3}}}}, ExecOptions{}); ErrorCode(err) != CodeInvalid {
		t.Fatalf("extra parameter: %v", err)
	}
}

func TestDDL_AlterTableDropAndRenameColumn(t *testing.T) {
	e := openTest(t)
	mustExec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT, b TEXT)", "INSERT INTO t(a, b) VALUES ('x', 'y')")
	mustExec(t, e, "ALTER TABLE t DROP COLUMN b")
	mustExec(t, e, "ALTER TABLE t RENAME COLUMN a TO c")
	mustExec(t, e, "INSERT INTO t(c) VALUES ('z')")
	sets, err := e.ChangesSince(context.Background(), "main", Vector{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	last := sets[len(sets)-1].Changes[0]
	if string(last.After) != `{"id":33,"c":"z"}` {
		t.Fatalf("capture after ALTER: %s", last.After)
	}
	// A peer applies the same ALTERs: its capture triggers name the old
	// columns too, and SQLite refuses to drop or rename a column they use.
	peer := openNode(t, "peer")
	applyAll(t, peer, sets)
	want := mustQuery(t, e, "SELECT * FROM t ORDER BY id")
	if got := mustQuery(t, peer, "SELECT * FROM t ORDER BY id"); fmt.Sprint(got) != fmt.Sprint(want) || len(got) != 2 {
		t.Fatalf("peer has %v, origin %v", got, want)
	}
	mustExec(t, peer, "INSERT INTO t(c) VALUES ('on the peer')") // its triggers were rebuilt for the new columns
}
