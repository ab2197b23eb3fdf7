package engine

import (
	"testing"

	"github.com/warren-db/warren/engine/internal/sqlite3"
)

// A warm read transaction is reused between queries, yet a query always
// sees what this node committed before it started.
func TestReadConn_WarmReadsSeeEveryCommit(t *testing.T) {
	e := openTest(t)
	mustExec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY)")
	for i := range 50 {
		mustExec(t, e, "INSERT INTO t DEFAULT VALUES")
		if n := mustQuery(t, e, "SELECT count(*) FROM t")[0][0]; n != int64(i+1) {
			t.Fatalf("after insert %d the count is %v", i+1, n)
		}
	}
}

// Idle warm transactions end once the log head moves, so they never keep
// the WAL from being checkpointed and recycled.
func TestReadConn_IdleWarmTransactionsDoNotPinTheWAL(t *testing.T) {
	e := openTest(t)
	mustExec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
	d, err := e.db("main")
	if err != nil {
		t.Fatal(err)
	}
	old := d.headNow.Load()
	var warm []*readConn
	for range d.nReader { // every reader warm at the current head
		c, err := d.warmReader(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := queryAll(c.Conn, "SELECT count(*) FROM t"); err != nil {
			t.Fatal(err)
		}
		warm = append(warm, c)
	}
	for range 20 {
		mustExec(t, e, "INSERT INTO t(v) VALUES (hex(randomblob(2000)))")
	}
	for _, c := range warm {
		d.putReader(c)
	}
	d.coolIdle()
	for range d.nReader {
		c := <-d.readers
		if c.warm == old {
			t.Errorf("an idle reader still holds a read transaction begun at %d, before the head moved", old)
		}
		defer d.putReader(c)
	}

	c, err := sqlite3.Open(d.path, sqlite3.OpenReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rows, err := queryAll(c, "PRAGMA wal_checkpoint(TRUNCATE)")
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != int64(0) {
		t.Fatalf("the WAL is pinned: checkpoint %v", rows[0])
	}
}
