package cluster

import (
	"fmt"
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
