package sqlite3

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/tursodatabase/go-libsql" // registers the "libsql" database/sql driver
)

// BenchmarkDriverComparison compares point reads by primary key through
// go-libsql's database/sql driver and through this binding, on the same file:
//
//   - libsql-shared: one sql.DB on one connector (one native libsql database
//     handle), at most 4 open connections;
//   - libsql-per-connector: 4 connectors, each in its own sql.DB with one
//     connection; every goroutine uses one of them;
//   - binding: one Conn per goroutine, statements from Conn.Cached.
//
// serial/* measure one statement's cost on one goroutine; libsql-stmt and
// libsql-prepare-each use DB.Prepare once or on every read, binding-prepare
// prepares on every read instead of using the cache. parallel/* run
// GOMAXPROCS goroutines, parallel-p4/* 4×GOMAXPROCS. Each reports ops/s and
// the process's CPU time per read (cpu-ns/op).
func BenchmarkDriverComparison(b *testing.B) {
	path := benchFile(b)
	b.Run("serial/libsql", func(b *testing.B) {
		db := openLibsqlShared(b, path)
		benchSerial(b, libsqlReader(db))
	})
	b.Run("serial/libsql-stmt", func(b *testing.B) {
		db := openLibsqlShared(b, path)
		st, err := db.Prepare(benchQuery)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		benchSerial(b, libsqlStmtReader(st))
	})
	b.Run("serial/libsql-prepare-each", func(b *testing.B) {
		db := openLibsqlShared(b, path)
		benchSerial(b, libsqlPrepareEachReader(db))
	})
	b.Run("serial/binding", func(b *testing.B) {
		benchSerial(b, bindingReader(openBenchConns(b, path, 1)[0]))
	})
	b.Run("serial/binding-prepare", func(b *testing.B) {
		benchSerial(b, bindingPrepareReader(openBenchConns(b, path, 1)[0]))
	})
	for _, p := range []int{1, 4} {
		name := "parallel"
		if p > 1 {
			name = "parallel-p" + strconv.Itoa(p)
		}
		b.Run(name+"/libsql-shared", func(b *testing.B) {
			db := openLibsqlShared(b, path)
			benchParallel(b, p, func(int) reader { return libsqlReader(db) })
		})
		b.Run(name+"/libsql-per-connector", func(b *testing.B) {
			dbs := openLibsqlPerConnector(b, path)
			benchParallel(b, p, func(g int) reader { return libsqlReader(dbs[g%len(dbs)]) })
		})
		b.Run(name+"/binding", func(b *testing.B) {
			conns := openBenchConns(b, path, p*runtime.GOMAXPROCS(0))
			benchParallel(b, p, func(g int) reader { return bindingReader(conns[g]) })
		})
	}
}

// go-libsql's first database asserts that it can still set SQLite's threading
// mode, which fails, aborting the process, once anything else has initialised
// SQLite. This package's tests and benchmarks open SQLite through the binding
// first, so go-libsql opens and connects a database before any of them runs.
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
	benchRows    = 10000
	benchQuery   = "SELECT id, v FROM t WHERE id = ?"
	benchValue   = "row-00000" // the shape of every v: "row-" and five digits, never date-like
	libsqlConns  = 4           // connections of the go-libsql pools
	benchIDShift = 7919        // a prime stride, so consecutive reads hit scattered rows
)

// reader reads the row with the given id and returns its id and the length of v.
type reader func(id int64) (int64, int, error)

// benchFile creates a WAL database with benchRows rows in t and returns its path.
func benchFile(b *testing.B) string {
	path := filepath.Join(b.TempDir(), "bench.db")
	c, err := Open(path, OpenReadWrite|OpenCreate)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	if err := c.Exec("PRAGMA journal_mode=WAL; CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL); BEGIN"); err != nil {
		b.Fatal(err)
	}
	s, err := c.Cached("INSERT INTO t(id, v) VALUES (?, ?)")
	if err != nil {
		b.Fatal(err)
	}
	for id := 1; id <= benchRows; id++ {
		if err := insertBenchRow(s, id); err != nil {
			b.Fatal(err)
		}
	}
	s.Release()
	if err := c.Exec("COMMIT"); err != nil {
		b.Fatal(err)
	}
	return path
}

func insertBenchRow(s *Stmt, id int) error {
	if err := s.Bind(1, id); err != nil {
		return err
	}
	if err := s.Bind(2, fmt.Sprintf("row-%05d", id)); err != nil {
		return err
	}
	if _, err := s.Step(); err != nil {
		return err
	}
	return s.Reset()
}

// benchSerial reads rows one after another on the calling goroutine.
func benchSerial(b *testing.B, read reader) {
	var n int64
	cpu := cpuTime()
	for b.Loop() {
		if err := readOne(read, n); err != nil {
			b.Fatal(err)
		}
		n += benchIDShift
	}
	reportRates(b, cpuTime()-cpu)
}

// benchParallel reads rows from p×GOMAXPROCS goroutines; newReader gives
// goroutine g (counted from 0) its reader.
func benchParallel(b *testing.B, p int, newReader func(g int) reader) {
	b.SetParallelism(p)
	var next atomic.Int64
	b.ResetTimer()
	cpu := cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		g := next.Add(1) - 1
		read := newReader(int(g))
		n := g * 1009
		for pb.Next() {
			if err := readOne(read, n); err != nil {
				b.Error(err)
				return
			}
			n += benchIDShift
		}
	})
	b.StopTimer()
	reportRates(b, cpuTime()-cpu)
}

// readOne reads the row that n selects and checks that it is that row.
func readOne(read reader, n int64) error {
	want := n%benchRows + 1
	got, vlen, err := read(want)
	if err != nil {
		return fmt.Errorf("read row %d: %w", want, err)
	}
	if got != want || vlen != len(benchValue) {
		return fmt.Errorf("read row %d: got id %d with a value of %d bytes", want, got, vlen)
	}
	return nil
}

// reportRates reports operations per second of wall time and the process's
// CPU time per operation (cpu-ns/op, which other load on the machine does
// not inflate the way it inflates ns/op).
func reportRates(b *testing.B, cpu time.Duration) {
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(b.N)/s, "ops/s")
	}
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
}

// cpuTime returns the user and system CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// openBenchConns opens n read-only connections with the query already prepared.
func openBenchConns(b *testing.B, path string, n int) []*Conn {
	conns := make([]*Conn, n)
	for i := range conns {
		c, err := Open(path, OpenReadOnly)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { c.Close() })
		if err := readOne(bindingReader(c), int64(i)); err != nil {
			b.Fatal(err)
		}
		conns[i] = c
	}
	return conns
}

// bindingReader reads through a statement from the connection's cache.
func bindingReader(c *Conn) reader {
	return func(id int64) (int64, int, error) {
		s, err := c.Cached(benchQuery)
		if err != nil {
			return 0, 0, err
		}
		defer s.Release()
		return stepBenchRow(s, id)
	}
}

// bindingPrepareReader prepares and finalizes the statement on every read,
// as go-libsql does.
func bindingPrepareReader(c *Conn) reader {
	return func(id int64) (int64, int, error) {
		s, _, err := c.Prepare(benchQuery)
		if err != nil {
			return 0, 0, err
		}
		defer s.Finalize()
		return stepBenchRow(s, id)
	}
}

func stepBenchRow(s *Stmt, id int64) (int64, int, error) {
	if err := s.Bind(1, id); err != nil {
		return 0, 0, err
	}
	ok, err := s.Step()
	if err != nil {
		return 0, 0, err
	}
	if !ok {
		return 0, 0, errors.New("no row")
	}
	got, _ := s.ColumnValue(0).(int64)
	v, _ := s.ColumnValue(1).(string)
	return got, len(v), nil
}

// libsqlReader reads through database/sql's QueryRow.
func libsqlReader(db *sql.DB) reader {
	ctx := context.Background()
	return func(id int64) (int64, int, error) {
		var got int64
		var v string
		err := db.QueryRowContext(ctx, benchQuery, id).Scan(&got, &v)
		return got, len(v), err
	}
}

// libsqlStmtReader reads through a statement prepared once with DB.Prepare.
func libsqlStmtReader(st *sql.Stmt) reader {
	ctx := context.Background()
	return func(id int64) (int64, int, error) {
		var got int64
		var v string
		err := st.QueryRowContext(ctx, id).Scan(&got, &v)
		return got, len(v), err
	}
}

// libsqlPrepareEachReader prepares a statement with DB.Prepare for every read,
// which runs go-libsql's ANTLR parse of the statement each time.
func libsqlPrepareEachReader(db *sql.DB) reader {
	ctx := context.Background()
	return func(id int64) (int64, int, error) {
		st, err := db.PrepareContext(ctx, benchQuery)
		if err != nil {
			return 0, 0, err
		}
		defer st.Close()
		return libsqlStmtReader(st)(id)
	}
}

// openLibsqlShared opens go-libsql's database/sql driver the usual way: one
// connector, a pool of libsqlConns connections, all of them open and idle.
func openLibsqlShared(b *testing.B, path string) *sql.DB {
	db, err := sql.Open("libsql", "file:"+path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(libsqlConns)
	db.SetMaxIdleConns(libsqlConns)
	warmPool(b, db, libsqlConns)
	return db
}

// openLibsqlPerConnector opens libsqlConns connectors (native database
// handles) of the same file, each behind its own one-connection sql.DB.
// go-libsql exports no connector constructor for local files, so the
// connectors come from the registered driver's OpenConnector.
func openLibsqlPerConnector(b *testing.B, path string) []*sql.DB {
	probe, err := sql.Open("libsql", "file:"+path)
	if err != nil {
		b.Fatal(err)
	}
	drv, ok := probe.Driver().(driver.DriverContext)
	probe.Close()
	if !ok {
		b.Fatal("go-libsql's driver does not implement driver.DriverContext")
	}
	dbs := make([]*sql.DB, libsqlConns)
	for i := range dbs {
		cn, err := drv.OpenConnector("file:" + path)
		if err != nil {
			b.Fatal(err)
		}
		db := sql.OpenDB(cn) // DB.Close closes the connector
		b.Cleanup(func() { db.Close() })
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		warmPool(b, db, 1)
		dbs[i] = db
	}
	return dbs
}

// warmPool opens n connections of db, checks that each reads the benchmark
// rows, and leaves them idle in the pool.
func warmPool(b *testing.B, db *sql.DB, n int) {
	ctx := context.Background()
	conns := make([]*sql.Conn, n)
	for i := range conns {
		c, err := db.Conn(ctx)
		if err != nil {
			b.Fatal(err)
		}
		conns[i] = c
		var got int64
		var v string
		if err := c.QueryRowContext(ctx, benchQuery, int64(i+1)).Scan(&got, &v); err != nil || got != int64(i+1) || len(v) != len(benchValue) {
			b.Fatalf("warm libsql connection %d: id %d, value %q, err %v", i, got, v, err)
		}
	}
	for _, c := range conns {
		c.Close()
	}
}
