package engine

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/tursodatabase/go-libsql" // registers the "libsql" database/sql driver
)

// go-libsql's first database asserts that it can still set SQLite's threading
// mode, which fails, aborting the process, once anything else has initialised
// SQLite. The engine opens SQLite through its own binding, so go-libsql opens
// and connects a database before any test or benchmark of this package runs.
func init() {
	if err := initLibsql(); err != nil {
		panic(err)
	}
}

func initLibsql() error {
	db, err := sql.Open("libsql", ":memory:")
	if err != nil {
		return fmt.Errorf("open go-libsql: %w", err)
	}
	defer db.Close()
	if err := db.Ping(); err != nil {
		return fmt.Errorf("connect go-libsql: %w", err)
	}
	return nil
}

const (
	writers     = 64 // concurrent clients of the write benchmarks
	kvSchema    = "CREATE TABLE kv(id INTEGER PRIMARY KEY, k TEXT, v TEXT)"
	kvInsert    = "INSERT INTO kv(k, v) VALUES (?, ?)"
	busyTimeout = 5000 // ms, for the go-libsql baseline (the engine's default is the same)
)

// BenchmarkWrite64 measures single-row inserts through Engine.Exec, one
// statement per call with default options, from 64 concurrent goroutines, so
// the writer group-commits them.
func BenchmarkWrite64(b *testing.B) {
	e := openBenchEngine(b)
	ctx := context.Background()
	var seq atomic.Int64
	runWriters(b, func() error {
		n := seq.Add(1)
		st := Statement{SQL: kvInsert, Params: Params{Positional: []Value{kvKey(n), kvValue(n)}}}
		resp, err := e.Exec(ctx, "main", []Statement{st}, ExecOptions{})
		if err == nil && resp.Results[0].RowsAffected != 1 {
			err = fmt.Errorf("insert %d changed %d rows", n, resp.Results[0].RowsAffected)
		}
		return err
	})
	rows, err := e.Query(ctx, "main", Statement{SQL: "SELECT count(*) FROM kv"}, QueryOptions{})
	if err != nil {
		b.Fatal(err)
	}
	if got := rows.Rows[0][0]; got != int64(b.N) {
		b.Fatalf("kv holds %v rows after %d inserts", got, b.N)
	}
}

// openBenchEngine opens an engine with the default configuration in a
// temporary directory and creates the kv table in its main database.
func openBenchEngine(b *testing.B) *Engine {
	cfg := DefaultConfig()
	cfg.DataDir = b.TempDir()
	cfg.Logger = slog.New(slog.DiscardHandler)
	e, err := Open(cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { e.Close() })
	if _, err := e.Exec(context.Background(), "main", []Statement{{SQL: kvSchema}}, ExecOptions{}); err != nil {
		b.Fatal(err)
	}
	return e
}

// BenchmarkRawLibsqlAutocommit64 is the baseline of BenchmarkWrite64: the same
// insert through go-libsql's database/sql driver in autocommit mode (WAL,
// synchronous=NORMAL, busy_timeout 5000 on every connection), from 64
// goroutines, with one connection or with database/sql's default unbounded
// pool. Busy errors of the pool are counted and reported, not failures.
func BenchmarkRawLibsqlAutocommit64(b *testing.B) {
	b.Run("maxconns=1", func(b *testing.B) { benchRawLibsql(b, 1) })
	b.Run("default-pool", func(b *testing.B) { benchRawLibsql(b, 0) })
}

func benchRawLibsql(b *testing.B, maxConns int) {
	db := openRawLibsql(b, filepath.Join(b.TempDir(), "raw.db"))
	db.SetMaxOpenConns(maxConns)
	ctx := context.Background()
	var seq, busy atomic.Int64
	runWriters(b, func() error {
		n := seq.Add(1)
		res, err := db.ExecContext(ctx, kvInsert, kvKey(n), kvValue(n))
		if isBusy(err) {
			busy.Add(1)
			return nil
		}
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return fmt.Errorf("insert %d changed %d rows", n, k)
		}
		return nil
	})
	b.ReportMetric(float64(busy.Load()), "busy-errors")
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(int64(b.N)-busy.Load())/s, "ok-ops/s")
	}
	var count int64
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM kv").Scan(&count); err != nil {
		b.Fatal(err)
	}
	if want := int64(b.N) - busy.Load(); count != want {
		b.Fatalf("kv holds %d rows after %d successful inserts", count, want)
	}
}

// runWriters calls insert b.N times from about 64 goroutines and reports
// calls per second as ops/s, including calls that failed with an error that
// insert tolerated (and counts itself), and the process's CPU time per call.
func runWriters(b *testing.B, insert func() error) {
	procs := runtime.GOMAXPROCS(0)
	p := (writers + procs - 1) / procs
	b.SetParallelism(p)
	b.ResetTimer()
	cpu := cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := insert(); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(b.N)/s, "ops/s")
	}
	b.ReportMetric(float64((cpuTime()-cpu).Nanoseconds())/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(p*procs), "goroutines")
}

// cpuTime returns the user and system CPU time the process has used, so
// that cpu-ns/op shows what a write costs even when other load on the
// machine inflates ns/op.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func kvKey(n int64) string   { return "key-" + strconv.FormatInt(n, 10) }
func kvValue(n int64) string { return "value-" + strconv.FormatInt(n, 10) }

// isBusy reports whether err is SQLite's "database is locked" (SQLITE_BUSY),
// which go-libsql reports only as message text.
func isBusy(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "database is locked") || strings.Contains(msg, "SQLITE_BUSY")
}

// openRawLibsql creates the kv table at path through go-libsql's
// database/sql driver, in WAL mode, and returns a pool whose every connection
// runs PRAGMA synchronous=NORMAL and busy_timeout when it opens (both are
// per-connection settings, and database/sql has no per-connection hook, so the
// driver's connector is wrapped).
func openRawLibsql(b *testing.B, path string) *sql.DB {
	dsn := "file:" + path
	setup, err := sql.Open("libsql", dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer setup.Close()
	var mode string
	// go-libsql's Exec fails on statements that return rows, as this PRAGMA does.
	if err := setup.QueryRow("PRAGMA journal_mode=WAL").Scan(&mode); err != nil || mode != "wal" {
		b.Fatalf("set WAL mode: mode %q, err %v", mode, err)
	}
	if _, err := setup.Exec(kvSchema); err != nil {
		b.Fatal(err)
	}
	drv, ok := setup.Driver().(driver.DriverContext)
	if !ok {
		b.Fatal("go-libsql's driver does not implement driver.DriverContext")
	}
	cn, err := drv.OpenConnector(dsn)
	if err != nil {
		b.Fatal(err)
	}
	db := sql.OpenDB(&pragmaConnector{Connector: cn, pragmas: []string{
		"PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=" + strconv.Itoa(busyTimeout)}})
	b.Cleanup(func() { db.Close() })
	var sync, timeout int
	if err := db.QueryRow("SELECT synchronous, timeout FROM pragma_synchronous, pragma_busy_timeout").Scan(&sync, &timeout); err != nil {
		b.Fatal(err)
	}
	if sync != 1 || timeout != busyTimeout {
		b.Fatalf("connection settings: synchronous %d, busy_timeout %d", sync, timeout)
	}
	return db
}

// pragmaConnector runs pragmas on every connection its Connector opens.
type pragmaConnector struct {
	driver.Connector
	pragmas []string
}

func (c *pragmaConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	q, ok := conn.(driver.QueryerContext)
	if !ok {
		conn.Close()
		return nil, errors.New("configure connection: driver connection cannot query")
	}
	for _, p := range c.pragmas {
		if err := runPragma(ctx, q, p); err != nil {
			conn.Close()
			return nil, err
		}
	}
	return conn, nil
}

// Close closes the wrapped connector, which holds go-libsql's native database.
func (c *pragmaConnector) Close() error {
	if cl, ok := c.Connector.(io.Closer); ok {
		return cl.Close()
	}
	return nil
}

func runPragma(ctx context.Context, q driver.QueryerContext, pragma string) error {
	rows, err := q.QueryContext(ctx, pragma, nil)
	if err != nil {
		return fmt.Errorf("configure connection: %s: %w", pragma, err)
	}
	defer rows.Close()
	dest := make([]driver.Value, len(rows.Columns()))
	for {
		if err := rows.Next(dest); err != nil {
			if err == io.EOF {
				return nil
			}
			return fmt.Errorf("configure connection: %s: %w", pragma, err)
		}
	}
}

// BenchmarkApplyBatch measures applying remote single-row insert sets, 32
// per ApplyBatch as a peer's coalesced message delivers them: the work each
// replica does for every write of a cluster.
func BenchmarkApplyBatch(b *testing.B) {
	origin, replica := openNode(b, "o"), openNode(b, "r")
	mustExec(b, origin, kvSchema)
	schema := ownSets(b, origin)
	applyAll(b, replica, schema)
	for i := range b.N {
		st := Statement{SQL: kvInsert, Params: Params{Positional: []Value{"k" + strconv.Itoa(i), "value"}}}
		if _, err := origin.Exec(context.Background(), "main", []Statement{st}, ExecOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	sets := ownSets(b, origin)[len(schema):]
	b.ResetTimer()
	for len(sets) > 0 {
		n := min(32, len(sets))
		if err := replica.ApplyBatch(context.Background(), "main", sets[:n]); err != nil {
			b.Fatal(err)
		}
		sets = sets[n:]
	}
}
