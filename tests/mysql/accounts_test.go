package mysql

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfiguredUsers starts a node whose [[mysql_users]] come from the
// config file: each logs in with its password and gets exactly its grants,
// and no password reaches the log.
func TestConfiguredUsers(t *testing.T) {
	const blogPass, readerPass = "bl0g-SECRET-77", "r3ader-SECRET-31"
	file := filepath.Join(t.TempDir(), "warren.toml")
	config := `
[[mysql_users]]
name = "blog"
password = "${BLOG_PASSWORD}"
host = "127.0.0.1"
grants = { blog = "write", main = "read" }

[[mysql_users]]
name = "reader"
password = "` + readerPass + `"
plugin = "caching_sha2_password"
[mysql_users.grants]
"*" = "SELECT"
`
	if err := os.WriteFile(file, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("BLOG_PASSWORD", blogPass)
	n := startNode(t, "--config", file, "--log-level", "debug")
	admin := n.open(t, adminUser, adminPass, "", "")
	mustExec(t, admin, "CREATE DATABASE blog", "CREATE TABLE blog.posts (id INT AUTO_INCREMENT PRIMARY KEY, title VARCHAR(50))",
		"CREATE TABLE main.notes (id INT AUTO_INCREMENT PRIMARY KEY, body TEXT)", "INSERT INTO main.notes (body) VALUES ('hi')")

	blog := n.open(t, "blog", blogPass, "blog", "")
	mustExec(t, blog, "INSERT INTO posts (title) VALUES ('first')", "UPDATE posts SET title = 'First'", "SELECT body FROM main.notes")
	_, err := blog.Exec("INSERT INTO main.notes (body) VALUES ('no')")
	wantMySQLError(t, err, 1142) // read only on main
	_, err = blog.Exec("CREATE DATABASE other")
	wantMySQLError(t, err, 1044)
	_, err = blog.Exec("DROP TABLE posts")
	wantMySQLError(t, err, 1142) // write is SELECT, INSERT, UPDATE, DELETE
	wantMySQLError(t, n.open(t, "blog", "wrong", "blog", "").Ping(), 1045)

	reader := n.open(t, "reader", readerPass, "blog", "allowCleartextPasswords=false")
	var title string
	if err := reader.QueryRow("SELECT title FROM posts").Scan(&title); err != nil || title != "First" {
		t.Fatalf("reader sees %q, %v", title, err)
	}
	_, err = reader.Exec("DELETE FROM posts")
	wantMySQLError(t, err, 1142)

	var grants []string
	rows, err := blog.Query("SHOW GRANTS")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var g string
		if err := rows.Scan(&g); err != nil {
			t.Fatal(err)
		}
		grants = append(grants, g)
	}
	rows.Close()
	if all := strings.Join(grants, "\n"); !strings.Contains(all, "`blog`.*") || !strings.Contains(all, "GRANT SELECT ON `main`.*") {
		t.Errorf("SHOW GRANTS:\n%s", all)
	}
	_, err = admin.Exec("DROP USER blog")
	if err == nil {
		t.Fatal("DROP USER of a configured account succeeded: config accounts cannot change with SQL")
	}
	for _, secret := range []string{blogPass, readerPass} {
		if strings.Contains(n.logs(), secret) {
			t.Fatalf("a mysql_users password is in the log")
		}
	}
}

// TestConfiguredUsers_Invalid checks that a bad [[mysql_users]] entry stops
// the node at start with a message naming the problem.
func TestConfiguredUsers_Invalid(t *testing.T) {
	file := filepath.Join(t.TempDir(), "warren.toml")
	config := "[[mysql_users]]\nname = \"admin\"\npassword = \"x\"\ngrants = { main = \"read, fly\" }\n"
	if err := os.WriteFile(file, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := runBinary(t, "--config", file, "--data-dir", t.TempDir(), "--mysql-user", adminUser, "--mysql-password", adminPass)
	if err == nil {
		t.Fatalf("warren started with a bad mysql user:\n%s", out)
	}
	for _, want := range []string{`user "admin" is also mysql_user`, `grants on "main" are "read, fly"`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
