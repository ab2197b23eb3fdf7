package mysqlwire

import (
	"database/sql"
	"math"
	"testing"
	"time"
)

func TestServer_Errors(t *testing.T) {
	ts := startServer(t)
	db := ts.admin("")
	mustExec(t, db, "CREATE TABLE users (id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(100) NOT NULL UNIQUE, name VARCHAR(50))",
		"INSERT INTO users (email, name) VALUES ('a@example.com', 'A')")
	cases := []struct {
		name, sql string
		code      uint16
		state     string
	}{
		{"duplicate key", "INSERT INTO users (email) VALUES ('a@example.com')", 1062, "23000"},
		{"not null", "INSERT INTO users (email, name) VALUES (NULL, 'x')", 1048, "23000"},
		{"syntax", "SELEC 1", 1064, "42000"},
		{"no such table", "SELECT * FROM nope", 1146, "42S02"},
		{"unknown column", "SELECT nope FROM users", 1054, "42S22"},
		{"unknown database", "USE nosuchdb", 1049, "42000"},
		{"empty query", "   ", 1065, "42000"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := db.Exec(c.sql)
			wantErr(t, err, c.code, c.state)
		})
	}
	t.Run("errors leave the connection usable", func(t *testing.T) {
		conn, err := db.Conn(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		_, err = conn.ExecContext(t.Context(), "INSERT INTO users (email) VALUES ('a@example.com')")
		wantErr(t, err, 1062, "23000")
		var n int
		if err := conn.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM users").Scan(&n); err != nil || n != 1 {
			t.Fatalf("count = %d, %v", n, err)
		}
	})
}

func TestServer_LastInsertID(t *testing.T) {
	ts := startServer(t)
	db := ts.admin("")
	mustExec(t, db, "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, v VARCHAR(10))")
	conn, err := db.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	res, err := conn.ExecContext(t.Context(), "INSERT INTO t (v) VALUES ('a')")
	if err != nil {
		t.Fatal(err)
	}
	id, err := res.LastInsertId()
	if err != nil || id <= 0 {
		t.Fatalf("LastInsertId = %d, %v", id, err)
	}
	var fn int64
	if err := conn.QueryRowContext(t.Context(), "SELECT LAST_INSERT_ID()").Scan(&fn); err != nil || fn != id {
		t.Fatalf("LAST_INSERT_ID() = %d, %v; OK packet said %d", fn, err, id)
	}
	var v string
	if err := conn.QueryRowContext(t.Context(), "SELECT v FROM t WHERE id = ?", id).Scan(&v); err != nil || v != "a" {
		t.Fatalf("row %d = %q, %v", id, v, err)
	}
	if id > math.MaxInt32 {
		t.Fatalf("id %d does not fit a 32-bit INT column", id)
	}

	t.Run("multi-row insert reports the first id", func(t *testing.T) {
		res, err := conn.ExecContext(t.Context(), "INSERT INTO t (v) VALUES ('b'), ('c'), ('d')")
		if err != nil {
			t.Fatal(err)
		}
		first, _ := res.LastInsertId()
		if n, _ := res.RowsAffected(); n != 3 {
			t.Fatalf("rows affected = %d", n)
		}
		var v string
		if err := conn.QueryRowContext(t.Context(), "SELECT v FROM t WHERE id = ?", first).Scan(&v); err != nil || v != "b" {
			t.Fatalf("first id %d holds %q, %v; want b", first, v, err)
		}
		var fn int64
		if err := conn.QueryRowContext(t.Context(), "SELECT LAST_INSERT_ID()").Scan(&fn); err != nil || fn != first {
			t.Fatalf("LAST_INSERT_ID() = %d, %v; want the first row's id %d", fn, err, first)
		}
		var maxID int64
		if err := conn.QueryRowContext(t.Context(), "SELECT MAX(id) FROM t").Scan(&maxID); err != nil || maxID <= first {
			t.Fatalf("MAX(id) = %d, %v; the batch's ids must increase past the first, %d", maxID, err, first)
		}
	})
}

func TestServer_Types(t *testing.T) {
	ts := startServer(t)
	mustExec(t, ts.admin(""), `CREATE TABLE typed (
		id BIGINT(20) UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
		small TINYINT(1), n INT, price DECIMAL(10,2), ratio DOUBLE,
		name VARCHAR(255), body LONGTEXT, data BLOB,
		created DATETIME, day DATE, at_time TIME, maybe VARCHAR(10))`,
		`INSERT INTO typed (small, n, price, ratio, name, body, data, created, day, at_time, maybe)
		 VALUES (1, -42, 12.5, 0.25, 'héllo', 'long text', X'00FF10', '2024-02-29 13:14:15', '2024-03-01', '10:11:12', NULL)`)
	type row struct {
		small   bool
		n       int64
		price   string
		ratio   float64
		name    string
		body    string
		data    []byte
		created time.Time
		day     time.Time
		atTime  string
		maybe   sql.NullString
	}
	want := row{true, -42, "12.50", 0.25, "héllo", "long text", []byte{0, 0xff, 0x10},
		time.Date(2024, 2, 29, 13, 14, 15, 0, time.UTC), time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), "10:11:12", sql.NullString{}}
	db := ts.admin("parseTime=true")
	const q = "SELECT small, n, price, ratio, name, body, data, created, day, at_time, maybe FROM typed"
	scan := func(t *testing.T, r *sql.Row) {
		var got row
		if err := r.Scan(&got.small, &got.n, &got.price, &got.ratio, &got.name, &got.body, &got.data,
			&got.created, &got.day, &got.atTime, &got.maybe); err != nil {
			t.Fatal(err)
		}
		if got.small != want.small || got.n != want.n || got.price != want.price || got.ratio != want.ratio ||
			got.name != want.name || got.body != want.body || string(got.data) != string(want.data) ||
			!got.created.Equal(want.created) || !got.day.Equal(want.day) || got.atTime != want.atTime || got.maybe.Valid {
			t.Fatalf("got  %+v\nwant %+v", got, want)
		}
	}
	t.Run("text protocol", func(t *testing.T) { scan(t, db.QueryRow(q)) })
	t.Run("binary protocol", func(t *testing.T) { scan(t, db.QueryRow(q+" WHERE id > ?", 0)) })
	t.Run("column types", func(t *testing.T) {
		rows, err := db.Query(q + " LIMIT 1")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cts, err := rows.ColumnTypes()
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"TINYINT", "INT", "DECIMAL", "DOUBLE", "VARCHAR", "TEXT", "BLOB", "DATETIME", "DATE", "TIME", "VARCHAR"}
		for i, ct := range cts {
			if ct.DatabaseTypeName() != want[i] {
				t.Errorf("column %s: type %s, want %s", ct.Name(), ct.DatabaseTypeName(), want[i])
			}
		}
	})
	t.Run("values that do not fit the declared type", func(t *testing.T) {
		// SQLite keeps text in an INT column; the client must not decode it as a number.
		mustExec(t, db, "CREATE TABLE loose (n INT, d DATETIME)", "INSERT INTO loose VALUES ('abc', 'not a date')")
		var n, d string
		if err := db.QueryRow("SELECT n, d FROM loose WHERE 1 = ?", 1).Scan(&n, &d); err != nil || n != "abc" || d != "not a date" {
			t.Fatalf("got %q %q, %v", n, d, err)
		}
	})
}

func TestServer_MultiStatements(t *testing.T) {
	ts := startServer(t)
	db := ts.admin("multiStatements=true")
	mustExec(t, db, "CREATE TABLE m (id INT PRIMARY KEY, v INT); INSERT INTO m VALUES (1, 10), (2, 20); UPDATE m SET v = v + 1")
	rows, err := db.Query("SELECT v FROM m WHERE id = 1; SELECT v FROM m WHERE id = 2")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []int
	for {
		for rows.Next() {
			var v int
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			got = append(got, v)
		}
		if !rows.NextResultSet() {
			break
		}
	}
	if len(got) != 2 || got[0] != 11 || got[1] != 21 {
		t.Fatalf("results = %v, want [11 21]", got)
	}
	t.Run("an error stops the batch", func(t *testing.T) {
		_, err := db.Exec("INSERT INTO m VALUES (3, 30); INSERT INTO m VALUES (1, 0); INSERT INTO m VALUES (4, 40)")
		wantErr(t, err, 1062, "23000")
		var n int
		if err := db.QueryRow("SELECT COUNT(*) FROM m").Scan(&n); err != nil || n != 3 {
			t.Fatalf("count = %d, %v; want 3 (the statement after the error did not run)", n, err)
		}
	})
	t.Run("refused without CLIENT_MULTI_STATEMENTS", func(t *testing.T) {
		_, err := ts.admin("").Exec("SELECT 1; SELECT 2")
		wantErr(t, err, 1064, "42000")
	})
}

func TestServer_FoundRows(t *testing.T) {
	ts := startServer(t)
	db := ts.admin("")
	mustExec(t, db, "CREATE TABLE f (id INT PRIMARY KEY)", "INSERT INTO f VALUES (1), (2), (3), (4), (5)")
	conn, err := db.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.QueryContext(t.Context(), "SELECT SQL_CALC_FOUND_ROWS id FROM f ORDER BY id LIMIT 2")
	if err != nil {
		t.Fatal(err)
	}
	rows.Close()
	var n int
	if err := conn.QueryRowContext(t.Context(), "SELECT FOUND_ROWS()").Scan(&n); err != nil || n != 5 {
		t.Fatalf("FOUND_ROWS() = %d, %v; want 5", n, err)
	}
}

func TestServer_Variables(t *testing.T) {
	ts := startServer(t)
	conn, err := ts.admin("").Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	mustConnExec := func(q string) {
		t.Helper()
		if _, err := conn.ExecContext(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var s string
	mustConnExec("SET warren_consistency = 'one'")
	if err := conn.QueryRowContext(t.Context(), "SELECT @@warren_consistency").Scan(&s); err != nil || s != "ONE" {
		t.Fatalf("@@warren_consistency = %q, %v", s, err)
	}
	if ts.srv.session(firstSessionID(ts.srv)).consistency != 1 {
		t.Fatal("session consistency not ONE")
	}
	_, err = conn.ExecContext(t.Context(), "SET warren_consistency = 'most'")
	wantErr(t, err, 1231, "42000")
	mustConnExec("SET @greeting = 'hi', @n = 2")
	var n int
	if err := conn.QueryRowContext(t.Context(), "SELECT @greeting, @n + 1").Scan(&s, &n); err != nil || s != "hi" || n != 3 {
		t.Fatalf("user variables = %q %d, %v", s, n, err)
	}
	mustConnExec("SET NAMES utf8mb4")
	if err := conn.QueryRowContext(t.Context(), "SELECT @@version").Scan(&s); err != nil || s != DefaultConfig().Version {
		t.Fatalf("@@version = %q, %v", s, err)
	}
}

// firstSessionID returns the id of some open session.
func firstSessionID(s *Server) uint32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id := range s.sessions {
		return id
	}
	return 0
}
