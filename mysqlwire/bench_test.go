package mysqlwire

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/warren-db/warren/engine"
)

// benchTable fills sbtest1 the way sysbench's oltp tests do (ids 1..1000).
func benchTable(b *testing.B, ts *testServer) {
	db := ts.admin("")
	mustExec(b, db, "CREATE TABLE sbtest1 (id INTEGER NOT NULL AUTO_INCREMENT, k INTEGER DEFAULT '0' NOT NULL, c CHAR(120) DEFAULT '' NOT NULL, pad CHAR(60) DEFAULT '' NOT NULL, PRIMARY KEY (id))")
	var sb strings.Builder
	sb.WriteString("INSERT INTO sbtest1 (id, k, c, pad) VALUES ") // explicit ids, as sysbench --auto-inc=off
	for i := range 1000 {
		if i > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "(%d, %d, '%s', '%s')", i+1, i, strings.Repeat("c", 119), strings.Repeat("p", 59))
	}
	mustExec(b, db, sb.String())
}

// BenchmarkPointSelect is sysbench's oltp_point_select over the wire:
// prepared (binary protocol) and text, against the engine alone.
func BenchmarkPointSelect(b *testing.B) {
	ts := startServer(b)
	benchTable(b, ts)
	db := ts.admin("")
	db.SetMaxIdleConns(8)
	b.Run("prepared", func(b *testing.B) {
		st, err := db.Prepare("SELECT c FROM sbtest1 WHERE id = ?")
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		b.RunParallel(func(pb *testing.PB) {
			var c string
			for i := 0; pb.Next(); i++ {
				if err := st.QueryRow(i%1000 + 1).Scan(&c); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	b.Run("text", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			var c string
			for i := 0; pb.Next(); i++ {
				if err := db.QueryRow(fmt.Sprintf("SELECT c FROM sbtest1 WHERE id = %d", i%1000+1)).Scan(&c); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	b.Run("engine", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for i := 0; pb.Next(); i++ {
				st := engine.Statement{SQL: "SELECT c FROM sbtest1 WHERE id = ?", Params: engine.Params{Positional: []engine.Value{int64(i%1000 + 1)}}}
				if _, err := ts.eng.Query(context.Background(), "main", st, engine.QueryOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}
