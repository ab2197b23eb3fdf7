// A VFS over the default one ("unix") that writes a write transaction's WAL
// frames with one write call instead of two per frame.
//
// SQLite appends each WAL frame as two pwrite calls, its 24-byte header and
// its page, so a commit of 16 pages costs 32 system calls. This VFS gathers
// the writes that append to a WAL file (each one starting where the previous
// write to the file ended) in a buffer, and hands them to the unix VFS in one
// call when the commit frame's page arrives (a frame header carries the
// database size only for a commit), when the buffer is full, when a write does
// not append, and before any other call on the file. A write that does not
// append (a page rewritten in place, the checksums SQLite rewrites after one,
// a new WAL header) goes straight through after the buffer. So a commit's
// frames, rewritten headers included, are in the file when the call that
// writes the commit frame returns: before SQLite publishes them in the
// wal-index, where readers in this or another process find them, and before
// any sync. Bytes and offsets are the ones SQLite wrote; the database file,
// locks and shared memory are the unix VFS's alone.

#include <stdlib.h>
#include <string.h>
#include "walvfs.h"

#define WAL_FRAME_HEADER 24
#define BUFFER_MAX 0x1ffff // the unix VFS writes at most this much in one call

typedef struct walFile {
	sqlite3_file base;
	sqlite3_file *real;   // the unix VFS's file, allocated just after this struct
	int wal;              // a WAL file: its writes are gathered
	int commitPage;       // the next write is the page of a gathered commit frame
	unsigned char *buf;
	int n, cap;
	sqlite3_int64 off;    // file offset of buf[0]
	sqlite3_int64 next;   // where the last write to the file ended: an append starts there
} walFile;

static sqlite3_vfs *realVfs;
static long long statFrames, statWrites; // frame headers gathered, writes to WAL files; for tests
static sqlite3_vfs walVfs;
static sqlite3_io_methods walMethods;

static const sqlite3_io_methods *realMethods(walFile *p) { return p->real->pMethods; }

// flush writes the gathered bytes; after an error they are dropped (SQLite
// rolls the transaction back, and frames past the last commit do not count).
static int flush(walFile *p) {
	if (p->n == 0) {
		return SQLITE_OK;
	}
	__atomic_fetch_add(&statWrites, 1, __ATOMIC_RELAXED);
	int rc = realMethods(p)->xWrite(p->real, p->buf, p->n, p->off);
	p->n = 0;
	p->commitPage = 0;
	return rc;
}

static int through(walFile *p, const void *data, int amt, sqlite3_int64 off);

// gather appends data to the buffer, written first when it cannot take it.
static int gather(walFile *p, const void *data, int amt, sqlite3_int64 off) {
	if (p->n + amt > BUFFER_MAX) {
		int rc = flush(p);
		if (rc != SQLITE_OK) {
			return rc;
		}
		if (amt > BUFFER_MAX) {
			return through(p, data, amt, off);
		}
	}
	if (p->n + amt > p->cap) {
		int cap = p->cap ? p->cap : 64 * 1024;
		while (cap < p->n + amt) {
			cap *= 2;
		}
		unsigned char *buf = realloc(p->buf, cap);
		if (buf == NULL) {
			return through(p, data, amt, off);
		}
		p->buf = buf;
		p->cap = cap;
	}
	if (p->n == 0) {
		p->off = off;
	}
	memcpy(p->buf + p->n, data, amt);
	p->n += amt;
	return SQLITE_OK;
}

// through writes data at once, after what is gathered.
static int through(walFile *p, const void *data, int amt, sqlite3_int64 off) {
	int rc = flush(p);
	if (rc != SQLITE_OK) {
		return rc;
	}
	__atomic_fetch_add(&statWrites, 1, __ATOMIC_RELAXED);
	return realMethods(p)->xWrite(p->real, data, amt, off);
}

static int walWrite(sqlite3_file *f, const void *data, int amt, sqlite3_int64 off) {
	walFile *p = (walFile *)f;
	if (!p->wal) {
		return realMethods(p)->xWrite(p->real, data, amt, off);
	}
	int append = off == p->next;
	p->next = off + amt;
	if (!append) {
		p->commitPage = 0;
		return through(p, data, amt, off);
	}
	int commitPage = p->commitPage && amt != WAL_FRAME_HEADER;
	int rc = gather(p, data, amt, off);
	if (rc != SQLITE_OK) {
		p->n = 0;
		p->commitPage = 0;
		return rc;
	}
	if (amt == WAL_FRAME_HEADER) {
		__atomic_fetch_add(&statFrames, 1, __ATOMIC_RELAXED);
		const unsigned char *h = data; // bytes 4-7: database size after a commit, else 0
		p->commitPage = (h[4] | h[5] | h[6] | h[7]) != 0;
	} else if (commitPage) {
		return flush(p);
	}
	return SQLITE_OK;
}

static int walClose(sqlite3_file *f) {
	walFile *p = (walFile *)f;
	int rc = flush(p);
	int rc2 = realMethods(p)->xClose(p->real);
	free(p->buf);
	p->buf = NULL;
	p->cap = 0;
	return rc != SQLITE_OK ? rc : rc2;
}

static int walRead(sqlite3_file *f, void *data, int amt, sqlite3_int64 off) {
	walFile *p = (walFile *)f;
	int rc = flush(p);
	return rc != SQLITE_OK ? rc : realMethods(p)->xRead(p->real, data, amt, off);
}

static int walTruncate(sqlite3_file *f, sqlite3_int64 size) {
	walFile *p = (walFile *)f;
	int rc = flush(p);
	return rc != SQLITE_OK ? rc : realMethods(p)->xTruncate(p->real, size);
}

static int walSync(sqlite3_file *f, int flags) {
	walFile *p = (walFile *)f;
	int rc = flush(p);
	return rc != SQLITE_OK ? rc : realMethods(p)->xSync(p->real, flags);
}

static int walFileSize(sqlite3_file *f, sqlite3_int64 *size) {
	walFile *p = (walFile *)f;
	int rc = flush(p);
	return rc != SQLITE_OK ? rc : realMethods(p)->xFileSize(p->real, size);
}

static int walLock(sqlite3_file *f, int lock) {
	walFile *p = (walFile *)f;
	int rc = flush(p);
	return rc != SQLITE_OK ? rc : realMethods(p)->xLock(p->real, lock);
}

static int walUnlock(sqlite3_file *f, int lock) {
	walFile *p = (walFile *)f;
	int rc = flush(p);
	return rc != SQLITE_OK ? rc : realMethods(p)->xUnlock(p->real, lock);
}

static int walCheckReservedLock(sqlite3_file *f, int *out) {
	walFile *p = (walFile *)f;
	return realMethods(p)->xCheckReservedLock(p->real, out);
}

static int walFileControl(sqlite3_file *f, int op, void *arg) {
	walFile *p = (walFile *)f;
	int rc = flush(p);
	return rc != SQLITE_OK ? rc : realMethods(p)->xFileControl(p->real, op, arg);
}

static int walSectorSize(sqlite3_file *f) {
	walFile *p = (walFile *)f;
	return realMethods(p)->xSectorSize(p->real);
}

static int walDeviceCharacteristics(sqlite3_file *f) {
	walFile *p = (walFile *)f;
	return realMethods(p)->xDeviceCharacteristics(p->real);
}

static int walShmMap(sqlite3_file *f, int page, int size, int extend, void volatile **out) {
	walFile *p = (walFile *)f;
	int rc = flush(p);
	return rc != SQLITE_OK ? rc : realMethods(p)->xShmMap(p->real, page, size, extend, out);
}

static int walShmLock(sqlite3_file *f, int offset, int n, int flags) {
	walFile *p = (walFile *)f;
	int rc = flush(p);
	return rc != SQLITE_OK ? rc : realMethods(p)->xShmLock(p->real, offset, n, flags);
}

static void walShmBarrier(sqlite3_file *f) {
	walFile *p = (walFile *)f;
	flush(p); // never holds anything here: commits flush on their last page
	realMethods(p)->xShmBarrier(p->real);
}

static int walShmUnmap(sqlite3_file *f, int deleteFlag) {
	walFile *p = (walFile *)f;
	int rc = flush(p);
	return rc != SQLITE_OK ? rc : realMethods(p)->xShmUnmap(p->real, deleteFlag);
}

static int walFetch(sqlite3_file *f, sqlite3_int64 off, int amt, void **out) {
	walFile *p = (walFile *)f;
	int rc = flush(p);
	return rc != SQLITE_OK ? rc : realMethods(p)->xFetch(p->real, off, amt, out);
}

static int walUnfetch(sqlite3_file *f, sqlite3_int64 off, void *page) {
	walFile *p = (walFile *)f;
	return realMethods(p)->xUnfetch(p->real, off, page);
}

static int walOpen(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *outFlags) {
	(void)vfs;
	walFile *p = (walFile *)f;
	memset(p, 0, sizeof(*p));
	p->real = (sqlite3_file *)&p[1];
	int rc = realVfs->xOpen(realVfs, name, p->real, flags, outFlags);
	if (p->real->pMethods == NULL) {
		return rc; // nothing to close
	}
	p->wal = (flags & SQLITE_OPEN_WAL) != 0;
	p->base.pMethods = &walMethods;
	return rc;
}

static int walDelete(sqlite3_vfs *v, const char *name, int syncDir) { (void)v; return realVfs->xDelete(realVfs, name, syncDir); }
static int walAccess(sqlite3_vfs *v, const char *name, int flags, int *out) { (void)v; return realVfs->xAccess(realVfs, name, flags, out); }
static int walFullPathname(sqlite3_vfs *v, const char *name, int n, char *out) { (void)v; return realVfs->xFullPathname(realVfs, name, n, out); }
static void *walDlOpen(sqlite3_vfs *v, const char *name) { (void)v; return realVfs->xDlOpen(realVfs, name); }
static void walDlError(sqlite3_vfs *v, int n, char *msg) { (void)v; realVfs->xDlError(realVfs, n, msg); }
static void (*walDlSym(sqlite3_vfs *v, void *h, const char *sym))(void) { (void)v; return realVfs->xDlSym(realVfs, h, sym); }
static void walDlClose(sqlite3_vfs *v, void *h) { (void)v; realVfs->xDlClose(realVfs, h); }
static int walRandomness(sqlite3_vfs *v, int n, char *out) { (void)v; return realVfs->xRandomness(realVfs, n, out); }
static int walSleep(sqlite3_vfs *v, int us) { (void)v; return realVfs->xSleep(realVfs, us); }
static int walCurrentTime(sqlite3_vfs *v, double *out) { (void)v; return realVfs->xCurrentTime(realVfs, out); }
static int walGetLastError(sqlite3_vfs *v, int n, char *msg) { (void)v; return realVfs->xGetLastError(realVfs, n, msg); }
static int walCurrentTimeInt64(sqlite3_vfs *v, sqlite3_int64 *out) { (void)v; return realVfs->xCurrentTimeInt64(realVfs, out); }
static int walSetSystemCall(sqlite3_vfs *v, const char *name, sqlite3_syscall_ptr fn) { (void)v; return realVfs->xSetSystemCall(realVfs, name, fn); }
static sqlite3_syscall_ptr walGetSystemCall(sqlite3_vfs *v, const char *name) { (void)v; return realVfs->xGetSystemCall(realVfs, name); }
static const char *walNextSystemCall(sqlite3_vfs *v, const char *name) { (void)v; return realVfs->xNextSystemCall(realVfs, name); }

int warren_register_wal_vfs(void) {
	if (realVfs != NULL) {
		return SQLITE_OK;
	}
	sqlite3_vfs *real = sqlite3_vfs_find(NULL);
	if (real == NULL || real->iVersion < 3) {
		return SQLITE_ERROR;
	}
	realVfs = real;
	walMethods = (sqlite3_io_methods){
		.iVersion = 3,
		.xClose = walClose,
		.xRead = walRead,
		.xWrite = walWrite,
		.xTruncate = walTruncate,
		.xSync = walSync,
		.xFileSize = walFileSize,
		.xLock = walLock,
		.xUnlock = walUnlock,
		.xCheckReservedLock = walCheckReservedLock,
		.xFileControl = walFileControl,
		.xSectorSize = walSectorSize,
		.xDeviceCharacteristics = walDeviceCharacteristics,
		.xShmMap = walShmMap,
		.xShmLock = walShmLock,
		.xShmBarrier = walShmBarrier,
		.xShmUnmap = walShmUnmap,
		.xFetch = walFetch,
		.xUnfetch = walUnfetch,
	};
	walVfs = (sqlite3_vfs){
		.iVersion = 3,
		.szOsFile = (int)sizeof(walFile) + real->szOsFile,
		.mxPathname = real->mxPathname,
		.zName = "warren-wal",
		.xOpen = walOpen,
		.xDelete = walDelete,
		.xAccess = walAccess,
		.xFullPathname = walFullPathname,
		.xDlOpen = walDlOpen,
		.xDlError = walDlError,
		.xDlSym = walDlSym,
		.xDlClose = walDlClose,
		.xRandomness = walRandomness,
		.xSleep = walSleep,
		.xCurrentTime = walCurrentTime,
		.xGetLastError = walGetLastError,
		.xCurrentTimeInt64 = walCurrentTimeInt64,
		.xSetSystemCall = walSetSystemCall,
		.xGetSystemCall = walGetSystemCall,
		.xNextSystemCall = walNextSystemCall,
	};
	return sqlite3_vfs_register(&walVfs, 1);
}

void warren_wal_vfs_stats(long long *frames, long long *writes) {
	*frames = __atomic_load_n(&statFrames, __ATOMIC_RELAXED);
	*writes = __atomic_load_n(&statWrites, __ATOMIC_RELAXED);
}
