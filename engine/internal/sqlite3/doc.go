// Package sqlite3 is a small, direct binding to the SQLite C API of libsql, the
// SQLite fork that github.com/tursodatabase/go-libsql ships as a static library.
//
// Warren stores every database with libsql, but it does not go through
// go-libsql's database/sql driver, which:
//
//   - turns any TEXT value that looks like a date into a time.Time, so a string
//     a client stored comes back changed (a database must return what it got);
//   - reports no declared column types;
//   - goes through libsql's Rust layer on every call: it prepares the statement
//     again on every execution (even for an sql.Stmt), copies the result set
//     and tries ten date layouts on every TEXT value — about 29 µs of CPU per
//     point read here against 11 µs through this binding;
//   - cannot interrupt a running statement (no query timeouts).
//
// A second go-libsql connection adds only 1.0–1.3× read throughput because
// every call pays that per-call overhead; one native handle per connection
// (a connector per connection) does not change it (measured 0.97–1.24×).
// This binding keeps prepared statements per connection, returns exact
// values and declared types, and offers sqlite3_interrupt; parallel point
// reads on four connections run 3–4× faster than through go-libsql
// (BenchmarkDriverComparison).
//
// go-libsql's driver must not be opened in a process after this binding has
// opened a connection: its first open calls sqlite3_config, which SQLite
// refuses once initialised, and libsql then aborts the process. Warren never
// opens it; the comparison benchmark opens it first.
//
// A Conn is not safe for concurrent use, except Interrupt.
package sqlite3
