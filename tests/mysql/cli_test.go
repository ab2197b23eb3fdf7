package mysql

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

// mysqlCLI runs the mysql command-line client in batch mode with script on
// its standard input and returns standard output, standard error and
// whether it succeeded.
func (n *node) mysqlCLI(t *testing.T, user, pass, db, script string, extra ...string) (string, string, bool) {
	t.Helper()
	args := append([]string{"-h", n.host, "-P", n.port, "--protocol=TCP", "-u" + user, "-p" + pass, "--batch", "--skip-column-names"}, extra...)
	if db != "" {
		args = append(args, db)
	}
	cmd := exec.Command(need(t, "mysql", "mariadb-client"), args...)
	cmd.Stdin = strings.NewReader(script)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	return out.String(), errOut.String(), err == nil
}

func TestMySQLCLI(t *testing.T) {
	n := startNode(t)
	script := `
CREATE DATABASE shop;
USE shop;
CREATE TABLE items (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL, price DECIMAL(8,2), added DATETIME) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO items (name, price, added) VALUES ('apple', 1.5, '2024-05-01 10:00:00'), ('pear', 2, NULL);
SELECT LAST_INSERT_ID() > 0;
SELECT name, price, added FROM items ORDER BY name;
SELECT COUNT(*) FROM items WHERE name LIKE 'p%';
START TRANSACTION;
UPDATE items SET price = price * 2;
ROLLBACK;
SELECT SUM(price) = 3.5 FROM items;
SHOW TABLES;
`
	out, errOut, ok := n.mysqlCLI(t, adminUser, adminPass, "", script)
	if !ok {
		t.Fatalf("mysql failed: %s\n%s", errOut, out)
	}
	want := "1\napple\t1.50\t2024-05-01 10:00:00\npear\t2.00\tNULL\n1\n1\nitems\n"
	if out != want {
		t.Fatalf("output:\n%s\nwant:\n%s", out, want)
	}

	t.Run("errors print MySQL numbers and stop the script", func(t *testing.T) {
		out, errOut, ok := n.mysqlCLI(t, adminUser, adminPass, "shop",
			"INSERT INTO items (id, name) VALUES (1, 'dup');\nSELECT 'not reached';\n")
		if ok || !strings.Contains(errOut, "ERROR 1062 (23000) at line 1") || strings.Contains(out, "not reached") {
			t.Fatalf("ok %v, stdout %q, stderr %q", ok, out, errOut)
		}
		_, errOut, _ = n.mysqlCLI(t, adminUser, adminPass, "shop", "SELECT * FROM nope;\n")
		if !strings.Contains(errOut, "ERROR 1146 (42S02)") {
			t.Fatalf("stderr %q", errOut)
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		_, errOut, ok := n.mysqlCLI(t, adminUser, "wrong", "", "SELECT 1;\n")
		if ok || !strings.Contains(errOut, "ERROR 1045 (28000)") {
			t.Fatalf("ok %v, stderr %q", ok, errOut)
		}
	})
	t.Run("unknown database", func(t *testing.T) {
		_, errOut, ok := n.mysqlCLI(t, adminUser, adminPass, "nosuchdb", "SELECT 1;\n")
		if ok || !strings.Contains(errOut, "ERROR 1049 (42000)") {
			t.Fatalf("ok %v, stderr %q", ok, errOut)
		}
	})
	t.Run("accounts made with SQL", func(t *testing.T) {
		_, errOut, ok := n.mysqlCLI(t, adminUser, adminPass, "", `
CREATE USER 'clerk'@'localhost' IDENTIFIED BY 'clerk-pass';
GRANT SELECT, INSERT ON shop.* TO 'clerk'@'localhost';
CREATE USER 'auditor'@'%' IDENTIFIED WITH caching_sha2_password BY 'audit-pass';
GRANT SELECT ON shop.* TO 'auditor'@'%';
`)
		if !ok {
			t.Fatalf("stderr %q", errOut)
		}
		out, errOut, ok := n.mysqlCLI(t, "clerk", "clerk-pass", "shop", "INSERT INTO items (name) VALUES ('fig');\nSELECT COUNT(*) FROM items;\n")
		if !ok || out != "3\n" {
			t.Fatalf("clerk: ok %v, out %q, stderr %q", ok, out, errOut)
		}
		_, errOut, ok = n.mysqlCLI(t, "clerk", "clerk-pass", "shop", "DELETE FROM items;\n")
		if ok || !strings.Contains(errOut, "ERROR 1142 (42000)") {
			t.Fatalf("clerk delete: ok %v, stderr %q", ok, errOut)
		}
		out, errOut, ok = n.mysqlCLI(t, "auditor", "audit-pass", "shop", "SELECT COUNT(*) FROM items;\n")
		if !ok || out != "3\n" {
			t.Fatalf("auditor (caching_sha2_password): ok %v, out %q, stderr %q", ok, out, errOut)
		}
	})
	t.Run("execute option and status", func(t *testing.T) {
		out, errOut, ok := n.mysqlCLI(t, adminUser, adminPass, "shop", "", "-e", "SELECT @@version, DATABASE(); SHOW DATABASES")
		if !ok || !strings.HasPrefix(out, "8.0.36-warren\tshop\n") || !strings.Contains(out, "shop\n") {
			t.Fatalf("ok %v, out %q, stderr %q", ok, out, errOut)
		}
	})
}
