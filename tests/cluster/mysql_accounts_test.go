package cluster

import (
	"database/sql"
	"errors"
	"fmt"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
)

// openMySQL opens a go-sql-driver handle on n's MySQL port, closed with the test.
func openMySQL(t testing.TB, n *Node, user, pass, db string) *sql.DB {
	t.Helper()
	d, err := sql.Open("mysql", fmt.Sprintf("%s:%s@tcp(%s)/%s?timeout=5s", user, pass, n.MySQLAddr, db))
	if err != nil {
		t.Fatal(err)
	}
	d.SetMaxIdleConns(0) // every check logs in again
	t.Cleanup(func() { d.Close() })
	return d
}

// Accounts made with SQL on one node log in on every node as soon as the
// statement returned, and a DROP USER on any node locks them out everywhere
// as soon as it returned.
func TestMySQL_AccountsAreClusterWide(t *testing.T) {
	c := startCluster(t, 3)
	n1, n2, n3 := c.Nodes[0], c.Nodes[1], c.Nodes[2]

	root := openMySQL(t, n1, "root", "", "main") // no administrator configured: loopback root
	for _, q := range []string{"CREATE USER 'app'@'%' IDENTIFIED BY 'pw'", "GRANT ALL ON main.* TO 'app'@'%'"} {
		if _, err := root.Exec(q); err != nil {
			t.Fatalf("%s on n1: %v", q, err)
		}
	}

	for _, n := range []*Node{n3, n2} {
		var one int
		if err := openMySQL(t, n, "app", "pw", "main").QueryRow("SELECT 1").Scan(&one); err != nil {
			t.Fatalf("app logs in on %s right after CREATE USER on n1: %v", n.Name, err)
		}
	}

	if _, err := openMySQL(t, n2, "root", "", "main").Exec("DROP USER 'app'@'%'"); err != nil {
		t.Fatalf("DROP USER on n2: %v", err)
	}
	for _, n := range []*Node{n1, n3} {
		var me *gomysql.MySQLError
		if err := openMySQL(t, n, "app", "pw", "main").Ping(); !errors.As(err, &me) || me.Number != 1045 {
			t.Fatalf("app logs in on %s right after DROP USER on n2: %v, want error 1045", n.Name, err)
		}
	}
}
