package cluster

import (
	"fmt"
	"net/http"
	"testing"
)

// TestCluster_ReadYourWritesWithBookmark writes on n1 at consistency ONE and
// reads on n2 with the bookmark at once: the read waits until n2 applied
// the write, so the row is there without polling.
func TestCluster_ReadYourWritesWithBookmark(t *testing.T) {
	c := startCluster(t, 3)
	n1, n2 := c.Nodes[0], c.Nodes[1]
	n1.MustExec("main", "one", Stmt{SQL: "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)"})
	for i := range 20 {
		v := fmt.Sprintf("ryw-%d", i)
		w := n1.MustExec("main", "one", Stmt{SQL: "INSERT INTO t(v) VALUES (?)", Params: []any{v}})
		if w.Bookmark == "" {
			t.Fatalf("write %d answered no bookmark", i)
		}
		id := w.Results[0].LastInsertID
		res, err := n2.Query("main", "SELECT v FROM t WHERE id = ?", w.Bookmark, id)
		if err != nil {
			t.Fatalf("anytime_read_your_writes: read %d on n2 with bookmark %q: %v", i, w.Bookmark, err)
		}
		if len(res.Rows) != 1 || res.Rows[0][0] != v {
			t.Fatalf("anytime_read_your_writes: write %d (id %d, bookmark %q) not visible on n2: %v", i, id, w.Bookmark, res.Rows)
		}
	}
}

// TestCluster_WriteAfterBookmarkOnAnotherNode inserts on n1 at consistency
// ONE and at once updates the row on n2 with the insert's bookmark: the
// update waits until n2 applied the insert, so it changes the row rather
// than nothing, and the edit reaches n1.
func TestCluster_WriteAfterBookmarkOnAnotherNode(t *testing.T) {
	c := startCluster(t, 3)
	n1, n2 := c.Nodes[0], c.Nodes[1]
	n1.MustExec("main", "one", Stmt{SQL: "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)"})
	for i := range 20 {
		w := n1.MustExec("main", "one", Stmt{SQL: "INSERT INTO t(v) VALUES ('new')"})
		id := w.Results[0].LastInsertID
		u, err := n2.ExecAfter("main", "", w.Bookmark, Stmt{SQL: "UPDATE t SET v = ? WHERE id = ?", Params: []any{fmt.Sprint("edited-", i), id}})
		if err != nil || u.Status != http.StatusOK {
			t.Fatalf("update %d on n2 with bookmark %q: status %d, error %+v, %v", i, w.Bookmark, u.Status, u.Error, err)
		}
		if len(u.Results) != 1 || u.Results[0].RowsAffected != 1 {
			t.Fatalf("update %d on n2 (id %d, bookmark %q) changed %+v rows: it ran before the insert arrived", i, id, w.Bookmark, u.Results)
		}
		res, err := n1.Query("main", "SELECT v FROM t WHERE id = ?", u.Bookmark, id)
		if err != nil || len(res.Rows) != 1 || res.Rows[0][0] != fmt.Sprint("edited-", i) {
			t.Fatalf("n1 with n2's bookmark %q reads %v, %v", u.Bookmark, res.Rows, err)
		}
	}
}
