package mysql

import (
	"database/sql"
	"errors"
	"fmt"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
)

// open returns a go-sql-driver handle on the node; params are DSN
// parameters such as "tls=custom".
func (n *node) open(t *testing.T, user, pass, db, params string) *sql.DB {
	t.Helper()
	d, err := sql.Open("mysql", fmt.Sprintf("%s:%s@tcp(%s:%s)/%s?%s", user, pass, n.host, n.port, db, params))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// mustExec runs statements, failing the test on the first error.
func mustExec(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// wantMySQLError fails unless err is MySQL error code.
func wantMySQLError(t *testing.T, err error, code uint16) {
	t.Helper()
	var me *gomysql.MySQLError
	if !errors.As(err, &me) || me.Number != code {
		t.Fatalf("error %v, want MySQL error %d", err, code)
	}
}
