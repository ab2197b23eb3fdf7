package mysqlwire

import (
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/go-mysql-org/go-mysql/client"
	gomysql "github.com/go-sql-driver/mysql"
	"github.com/warren-db/warren/engine"
)

// Test accounts.
const (
	adminUser = "admin"
	adminPass = "s3cret-Admin"
)

// testServer is a Server on a loopback port over a real engine in a
// temporary directory.
type testServer struct {
	t    testing.TB
	eng  *engine.Engine
	srv  *Server
	addr string
	dir  string
}

// quietLogger drops log lines; set WARREN_TEST_LOG to see them.
func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// startServer starts a server with an administrator; mutate adjusts the config.
func startServer(t testing.TB, mutate ...func(*Config)) *testServer {
	t.Helper()
	dir := t.TempDir()
	return startServerIn(t, dir, mutate...)
}

// startServerIn starts a server whose engine and accounts live in dir.
func startServerIn(t testing.TB, dir string, mutate ...func(*Config)) *testServer {
	t.Helper()
	ecfg := engine.DefaultConfig()
	ecfg.DataDir, ecfg.DefaultConsistency, ecfg.Logger = dir, engine.ConsistencyOne, quietLogger()
	eng, err := engine.Open(ecfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.DataDir, cfg.AdminUser, cfg.AdminPassword, cfg.Logger = dir, adminUser, adminPass, quietLogger()
	for _, m := range mutate {
		m(&cfg)
	}
	srv, err := New(eng, cfg)
	if err != nil {
		eng.Close()
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	ts := &testServer{t: t, eng: eng, srv: srv, addr: ln.Addr().String(), dir: dir}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("close server: %v", err)
		}
		if err := <-done; !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve returned %v, want ErrServerClosed", err)
		}
		if n := srv.panics.Load(); n != 0 {
			t.Errorf("%d panics while serving", n)
		}
		eng.Close()
	})
	return ts
}

// dsn returns a go-sql-driver DSN; params are extra DSN parameters.
func (ts *testServer) dsn(user, pass, db, params string) string {
	d := fmt.Sprintf("%s:%s@tcp(%s)/%s?timeout=5s", user, pass, ts.addr, db)
	if params != "" {
		d += "&" + params
	}
	return d
}

// open returns a database handle for user, closed with the test.
func (ts *testServer) open(user, pass, db, params string) *sql.DB {
	ts.t.Helper()
	d, err := sql.Open("mysql", ts.dsn(user, pass, db, params))
	if err != nil {
		ts.t.Fatal(err)
	}
	d.SetConnMaxLifetime(time.Minute)
	ts.t.Cleanup(func() { d.Close() })
	return d
}

// admin returns a handle for the administrator in database main.
func (ts *testServer) admin(params string) *sql.DB {
	return ts.open(adminUser, adminPass, "main", params)
}

// raw returns a go-mysql client connection, for commands database/sql never sends.
func (ts *testServer) raw(user, pass, db string) *client.Conn {
	ts.t.Helper()
	c, err := client.Connect(ts.addr, user, pass, db)
	if err != nil {
		ts.t.Fatal(err)
	}
	ts.t.Cleanup(func() { c.Close() })
	return c
}

// mustExec runs statements, failing the test on error.
func mustExec(t testing.TB, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// errNumber returns the MySQL error number and SQLSTATE of err (0 if none).
func errNumber(err error) (uint16, string) {
	var me *gomysql.MySQLError
	if errors.As(err, &me) {
		return me.Number, string(me.SQLState[:])
	}
	return 0, ""
}

// wantErr fails unless err carries MySQL error number code.
func wantErr(t *testing.T, err error, code uint16, state string) {
	t.Helper()
	got, gotState := errNumber(err)
	if got != code || (state != "" && gotState != state) {
		t.Fatalf("error = %v (number %d, state %s), want %d (%s)", err, got, gotState, code, state)
	}
}
