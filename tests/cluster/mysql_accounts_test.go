package cluster

import (
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"
)

// accountsTimeout bounds how long an account change takes to reach every
// node: anti-entropy rounds of 200 ms, with slack for a loaded machine.
const accountsTimeout = 15 * time.Second

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

// Accounts made with SQL on one node log in on every node, and a DROP USER
// on any node locks them out everywhere.
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
		app := openMySQL(t, n, "app", "pw", "main")
		eventually(t, accountsTimeout, "eventually_account_logs_in("+n.Name+")", func() error {
			var one int
			return app.QueryRow("SELECT 1").Scan(&one)
		})
	}

	if _, err := openMySQL(t, n2, "root", "", "main").Exec("DROP USER 'app'@'%'"); err != nil {
		t.Fatalf("DROP USER on n2: %v", err)
	}
	app1 := openMySQL(t, n1, "app", "pw", "main")
	eventually(t, accountsTimeout, "eventually_dropped_account_refused(n1)", func() error {
		err := app1.Ping()
		var me *gomysql.MySQLError
		if errors.As(err, &me) && me.Number == 1045 {
			return nil
		}
		return fmt.Errorf("login as app: %v, want error 1045", err)
	})
}
