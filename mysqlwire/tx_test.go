package mysqlwire

import (
	"database/sql"
	"database/sql/driver"
	"testing"
)

func TestServer_Transactions(t *testing.T) {
	ts := startServer(t)
	db := ts.admin("")
	mustExec(t, db, "CREATE TABLE acct (id INT PRIMARY KEY, balance INT NOT NULL)", "INSERT INTO acct VALUES (1, 100), (2, 0)")
	balance := func(q interface {
		QueryRow(string, ...any) *sql.Row
	}, id int) int {
		t.Helper()
		var b int
		if err := q.QueryRow("SELECT balance FROM acct WHERE id = ?", id).Scan(&b); err != nil {
			t.Fatal(err)
		}
		return b
	}

	t.Run("commit", func(t *testing.T) {
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"UPDATE acct SET balance = balance - 30 WHERE id = 1", "UPDATE acct SET balance = balance + 30 WHERE id = 2"} {
			if _, err := tx.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		if got := balance(tx, 2); got != 30 {
			t.Fatalf("inside the transaction: %d, want its own write 30", got)
		}
		if got := balance(db, 2); got != 0 {
			t.Fatalf("outside the transaction: %d, want 0 before commit", got)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if balance(db, 1) != 70 || balance(db, 2) != 30 {
			t.Fatal("commit lost")
		}
	})
	t.Run("rollback", func(t *testing.T) {
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec("UPDATE acct SET balance = 0 WHERE id = 1"); err != nil {
			t.Fatal(err)
		}
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
		if got := balance(db, 1); got != 70 {
			t.Fatalf("after rollback: %d, want 70", got)
		}
	})
	t.Run("a failing statement leaves the transaction open", func(t *testing.T) {
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec("INSERT INTO acct VALUES (3, 5)"); err != nil {
			t.Fatal(err)
		}
		_, err = tx.Exec("INSERT INTO acct VALUES (1, 5)")
		wantErr(t, err, 1062, "23000")
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if got := balance(db, 3); got != 5 {
			t.Fatalf("row 3 = %d, want 5", got)
		}
	})
	t.Run("autocommit off", func(t *testing.T) {
		conn, err := db.Conn(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		for _, q := range []string{"SET autocommit = 0", "UPDATE acct SET balance = 1 WHERE id = 3"} {
			if _, err := conn.ExecContext(t.Context(), q); err != nil {
				t.Fatal(err)
			}
		}
		if got := balance(db, 3); got != 5 {
			t.Fatalf("uncommitted write visible: %d", got)
		}
		if _, err := conn.ExecContext(t.Context(), "COMMIT"); err != nil {
			t.Fatal(err)
		}
		if got := balance(db, 3); got != 1 {
			t.Fatalf("after COMMIT: %d, want 1", got)
		}
		if _, err := conn.ExecContext(t.Context(), "UPDATE acct SET balance = 2 WHERE id = 3"); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.ExecContext(t.Context(), "SET autocommit = 1"); err != nil {
			t.Fatal(err)
		}
		if got := balance(db, 3); got != 2 {
			t.Fatalf("SET autocommit = 1 did not commit: %d", got)
		}
	})
	t.Run("read only transaction", func(t *testing.T) {
		conn, err := db.Conn(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(t.Context(), "START TRANSACTION READ ONLY"); err != nil {
			t.Fatal(err)
		}
		_, err = conn.ExecContext(t.Context(), "UPDATE acct SET balance = 9 WHERE id = 1")
		wantErr(t, err, 1792, "25006")
		if _, err := conn.ExecContext(t.Context(), "ROLLBACK"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a dropped connection rolls back", func(t *testing.T) {
		conn, err := db.Conn(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.ExecContext(t.Context(), "BEGIN"); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.ExecContext(t.Context(), "UPDATE acct SET balance = 999 WHERE id = 1"); err != nil {
			t.Fatal(err)
		}
		_ = conn.Raw(func(any) error { return driver.ErrBadConn }) // the pool closes the connection
		conn.Close()
		if _, err := db.Exec("UPDATE acct SET balance = balance + 1 WHERE id = 2"); err != nil {
			t.Fatalf("writer still held by the dropped transaction: %v", err)
		}
		if got := balance(db, 1); got != 70 {
			t.Fatalf("dropped transaction's write visible: %d", got)
		}
	})
}
