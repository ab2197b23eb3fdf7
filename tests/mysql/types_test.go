package mysql

import (
	"strings"
	"testing"
)

// TestResultTypes checks, against a real node, the column types
// go-sql-driver sees for expressions and aggregates, and that a multi-row
// INSERT reports the id of its first row as MySQL does.
func TestResultTypes(t *testing.T) {
	n := startNode(t)
	db := n.open(t, adminUser, adminPass, "main", "parseTime=true")
	db.SetMaxOpenConns(1) // one session: LAST_INSERT_ID() is per connection
	mustExec(t, db, "CREATE TABLE m (id INT AUTO_INCREMENT PRIMARY KEY, n INT, d DATETIME, v VARCHAR(10))")

	res, err := db.Exec("INSERT INTO m (n, d, v) VALUES (2, '2024-01-02 03:04:05', 'a'), (5, '2024-03-01 00:00:00', 'b'), (1, NULL, 'c')")
	if err != nil {
		t.Fatal(err)
	}
	first, err := res.LastInsertId()
	if err != nil {
		t.Fatal(err)
	}
	var v string
	var fn int64
	if err := db.QueryRow("SELECT v, LAST_INSERT_ID() FROM m WHERE id = ?", first).Scan(&v, &fn); err != nil || v != "a" || fn != first {
		t.Fatalf("insert id %d holds %q, LAST_INSERT_ID() = %d, %v; want the first row, a", first, v, fn, err)
	}

	const q = "SELECT 1+1, COUNT(*), 1.5*2, CONCAT('a','b'), NOW(), LAST_INSERT_ID(), SUM(n), MAX(d) FROM m"
	want := []string{"BIGINT", "BIGINT", "DOUBLE", "VARCHAR", "DATETIME", "BIGINT", "DECIMAL", "DATETIME"}
	for _, mode := range []string{"text", "prepared"} {
		t.Run(mode, func(t *testing.T) {
			args := []any{}
			sqlText := q
			if mode == "prepared" {
				sqlText, args = q+" WHERE id > ?", []any{0}
			}
			rows, err := db.Query(sqlText, args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			cts, err := rows.ColumnTypes()
			if err != nil {
				t.Fatal(err)
			}
			got := make([]string, len(cts))
			for i, ct := range cts {
				got[i] = ct.DatabaseTypeName()
			}
			if strings.Join(got, " | ") != strings.Join(want, " | ") {
				t.Fatalf("types %v, want %v", got, want)
			}
			if !rows.Next() {
				t.Fatal("no row")
			}
			vals := make([]any, len(cts))
			ptrs := make([]any, len(cts))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			// parseTime=true: DATETIME columns arrive as time.Time.
			for _, i := range []int{4, 7} {
				if _, ok := vals[i].(interface{ Unix() int64 }); !ok {
					t.Errorf("column %d is %T, want time.Time", i, vals[i])
				}
			}
			if s := string(vals[6].([]byte)); s != "8" {
				t.Errorf("SUM(n) = %q, want 8", s)
			}
		})
	}
}
