package sqlite3

/*
#cgo CFLAGS: -O2
#include "warren_sqlite.h"
*/
import "C"

import (
	_ "github.com/tursodatabase/go-libsql" // links libsql's static library, which provides the sqlite3_* symbols
)

// Version returns the SQLite version of the linked libsql.
func Version() string { return C.GoString(C.sqlite3_libversion()) }
