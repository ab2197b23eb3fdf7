package sqlite3

/*
#include "walvfs.h"
*/
import "C"

import (
	"fmt"
	"sync"
)

// registerWALVFS makes the VFS of walvfs.c, which writes a transaction's WAL
// frames with one system call instead of two per frame, the default before
// the first connection opens.
var registerWALVFS = sync.OnceValue(func() error {
	if rc := C.warren_register_wal_vfs(); rc != OK {
		return fmt.Errorf("register wal vfs: %w", &Error{Code: int(rc) & 0xff, Extended: int(rc), Msg: C.GoString(C.sqlite3_errstr(rc))})
	}
	return nil
})

// walStats returns how many WAL frames were written since the start, and in
// how many write calls.
func walStats() (frames, writes int64) {
	var f, w C.longlong
	C.warren_wal_vfs_stats(&f, &w)
	return int64(f), int64(w)
}
