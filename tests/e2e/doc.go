// Package e2e holds end-to-end tests that build the real warren binary, start
// it on free loopback ports and drive it over HTTP and through the SQLite file
// with the sqlite3 command-line shell.
package e2e
