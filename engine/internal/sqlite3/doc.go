// Package sqlite3 is a small, direct binding to the SQLite C API of libsql, the
// SQLite fork that github.com/tursodatabase/go-libsql ships as a static library.
//
// Warren stores every database with libsql, but it does not go through
// go-libsql's database/sql driver. That driver (a) turns any TEXT value that
// looks like a date into a time.Time, so a string a client stored comes back
// changed; (b) reports no declared column types; (c) runs every prepared
// statement through an ANTLR parser (most of its ~4 µs per statement); and
// (d) hands out connections of one shared native database handle, whose
// internal lock serialises readers (a second connection adds only 1.0–1.3×
// read throughput). Binding the C API directly gives exact values, declared
// types, prepared-statement reuse, sqlite3_interrupt for query timeouts, and
// one native handle per connection. BenchmarkDriverComparison shows the effect.
//
// A Conn is not safe for concurrent use, except Interrupt.
package sqlite3
