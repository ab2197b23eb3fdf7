package mysqlwire

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestServer_AccountStatements(t *testing.T) {
	ts := startServer(t)
	admin := ts.admin("")
	mustExec(t, admin,
		"CREATE DATABASE wp",
		"CREATE DATABASE secret",
		"CREATE USER 'wp'@'%' IDENTIFIED BY 'wp-pass'",
		"GRANT ALL PRIVILEGES ON `wp`.* TO 'wp'@'%'",
		"CREATE USER IF NOT EXISTS 'wp'@'%' IDENTIFIED BY 'other'",
		"CREATE USER ro IDENTIFIED WITH caching_sha2_password BY 'ro-pass'",
		"GRANT SELECT ON wp.* TO ro",
	)
	wp := ts.open("wp", "wp-pass", "wp", "")

	t.Run("granted database works", func(t *testing.T) {
		mustExec(t, wp, "CREATE TABLE posts (id INT AUTO_INCREMENT PRIMARY KEY, title VARCHAR(100))",
			"INSERT INTO posts (title) VALUES ('hello')")
	})
	t.Run("other database is denied", func(t *testing.T) {
		_, err := wp.Exec("USE secret")
		wantErr(t, err, 1044, "42000")
		wantErr(t, ts.open("wp", "wp-pass", "secret", "").Ping(), 1044, "42000")
	})
	t.Run("SHOW DATABASES lists granted databases only", func(t *testing.T) {
		got := strings.Join(queryStrings(t, wp, "SHOW DATABASES"), ",")
		if !strings.Contains(got, "wp") || strings.Contains(got, "secret") || strings.Contains(got, "main") {
			t.Fatalf("SHOW DATABASES = %v, want wp and not secret or main", got)
		}
	})
	t.Run("read-only user", func(t *testing.T) {
		ro := ts.open("ro", "ro-pass", "wp", "")
		if got := queryStrings(t, ro, "SELECT title FROM posts"); len(got) != 1 {
			t.Fatalf("rows = %v", got)
		}
		_, err := ro.Exec("INSERT INTO posts (title) VALUES ('no')")
		wantErr(t, err, 1142, "42000")
		_, err = ro.Exec("DROP TABLE posts")
		wantErr(t, err, 1142, "42000")
	})
	t.Run("only the administrator manages accounts", func(t *testing.T) {
		_, err := wp.Exec("CREATE USER sneaky IDENTIFIED BY 'x'")
		wantErr(t, err, 1227, "42000")
		_, err = wp.Exec("GRANT ALL ON secret.* TO wp")
		wantErr(t, err, 1227, "42000")
	})
	t.Run("SHOW GRANTS", func(t *testing.T) {
		got := queryStrings(t, wp, "SHOW GRANTS")
		want := []string{"GRANT USAGE ON *.* TO `wp`@`%`", "GRANT ALL PRIVILEGES ON `wp`.* TO `wp`@`%`"}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("SHOW GRANTS = %q, want %q", got, want)
		}
		got = queryStrings(t, admin, "SHOW GRANTS FOR ro")
		if len(got) != 2 || got[1] != "GRANT SELECT ON `wp`.* TO `ro`@`%`" {
			t.Fatalf("SHOW GRANTS FOR ro = %q", got)
		}
	})
	t.Run("mistakes get MySQL's errors", func(t *testing.T) {
		_, err := admin.Exec("CREATE USER 'wp'@'%' IDENTIFIED BY 'x'")
		wantErr(t, err, 1396, "HY000")
		_, err = admin.Exec("GRANT SELECT ON wp.* TO nobody")
		wantErr(t, err, 1410, "42000")
		_, err = admin.Exec("GRANT SELECT ON wp.posts TO wp")
		wantErr(t, err, 1235, "42000")
		_, err = admin.Exec("DROP USER admin")
		wantErr(t, err, 1396, "HY000")
		_, err = admin.Exec("CREATE USER 'x' IDENTIFIED BY")
		wantErr(t, err, 1064, "42000")
	})
	t.Run("password change", func(t *testing.T) {
		mustExec(t, admin, "ALTER USER wp IDENTIFIED BY 'new-pass'")
		wantErr(t, ts.open("wp", "wp-pass", "wp", "").Ping(), 1045, "28000")
		mustExec(t, ts.open("wp", "new-pass", "wp", ""), "SET PASSWORD = 'wp-pass'")
		if err := ts.open("wp", "wp-pass", "wp", "").Ping(); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("accounts are stored hashed and survive a restart", func(t *testing.T) {
		b, err := os.ReadFile(filepath.Join(ts.dir, UsersFile))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "wp-pass") || strings.Contains(string(b), "ro-pass") {
			t.Fatal("users file holds a clear-text password")
		}
		var data usersFileData
		if err := json.Unmarshal(b, &data); err != nil || len(data.Users) != 2 {
			t.Fatalf("users file: %v, %d users", err, len(data.Users))
		}
		store, err := newAccountStore(Config{DataDir: ts.dir, AdminUser: adminUser}.withDefaults())
		if err != nil {
			t.Fatal(err)
		}
		a := store.get("ro")
		if a == nil || a.Plugin != PluginSHA2 || !a.privileges("wp").has(privSelect) || a.privileges("wp").has(privInsert) {
			t.Fatalf("reloaded ro = %+v", a)
		}
	})
	t.Run("REVOKE and DROP USER", func(t *testing.T) {
		mustExec(t, admin, "REVOKE SELECT ON wp.* FROM ro")
		wantErr(t, ts.open("ro", "ro-pass", "wp", "").Ping(), 1044, "42000")
		mustExec(t, admin, "DROP USER ro", "DROP USER IF EXISTS ro")
		wantErr(t, ts.open("ro", "ro-pass", "", "").Ping(), 1045, "28000")
	})
}

// queryStrings returns the first column of every row.
func queryStrings(t *testing.T, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
