// Declarations of the SQLite C API that libsql exports, and wrappers for
// what cgo cannot express.
#ifndef WARREN_SQLITE_H
#define WARREN_SQLITE_H
#include <stdlib.h>
#include <stdint.h>

typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;
typedef int64_t sqlite3_int64;

int sqlite3_open_v2(const char *filename, sqlite3 **ppDb, int flags, const char *zVfs);
int sqlite3_close_v2(sqlite3*);
int sqlite3_extended_result_codes(sqlite3*, int onoff);
int sqlite3_busy_timeout(sqlite3*, int ms);
const char *sqlite3_errmsg(sqlite3*);
int sqlite3_extended_errcode(sqlite3 *db);
const char *sqlite3_errstr(int);
int sqlite3_exec(sqlite3*, const char *sql, void *callback, void *arg, char **errmsg);
void sqlite3_free(void*);
int sqlite3_prepare_v3(sqlite3 *db, const char *zSql, int nByte, unsigned int prepFlags, sqlite3_stmt **ppStmt, const char **pzTail);
int sqlite3_finalize(sqlite3_stmt *pStmt);
int sqlite3_reset(sqlite3_stmt *pStmt);
int sqlite3_clear_bindings(sqlite3_stmt*);
int sqlite3_step(sqlite3_stmt*);
int sqlite3_stmt_readonly(sqlite3_stmt *pStmt);
int sqlite3_stmt_isexplain(sqlite3_stmt *pStmt);
int sqlite3_bind_parameter_count(sqlite3_stmt*);
int sqlite3_bind_parameter_index(sqlite3_stmt*, const char *zName);
const char *sqlite3_bind_parameter_name(sqlite3_stmt*, int);
int sqlite3_bind_int64(sqlite3_stmt*, int, sqlite3_int64);
int sqlite3_bind_double(sqlite3_stmt*, int, double);
int sqlite3_bind_null(sqlite3_stmt*, int);
int sqlite3_bind_text(sqlite3_stmt*, int, const char*, int, void(*)(void*));
int sqlite3_bind_blob(sqlite3_stmt*, int, const void*, int, void(*)(void*));
int sqlite3_bind_zeroblob(sqlite3_stmt*, int, int n);
int sqlite3_column_count(sqlite3_stmt *pStmt);
const char *sqlite3_column_name(sqlite3_stmt*, int N);
const char *sqlite3_column_decltype(sqlite3_stmt*, int);
int sqlite3_column_type(sqlite3_stmt*, int iCol);
sqlite3_int64 sqlite3_column_int64(sqlite3_stmt*, int iCol);
double sqlite3_column_double(sqlite3_stmt*, int iCol);
const unsigned char *sqlite3_column_text(sqlite3_stmt*, int iCol);
const void *sqlite3_column_blob(sqlite3_stmt*, int iCol);
int sqlite3_column_bytes(sqlite3_stmt*, int iCol);
sqlite3_int64 sqlite3_changes64(sqlite3*);
sqlite3_int64 sqlite3_total_changes64(sqlite3*);
sqlite3_int64 sqlite3_last_insert_rowid(sqlite3*);
void sqlite3_interrupt(sqlite3*);
void sqlite3_progress_handler(sqlite3*, int, int(*)(void*), void*);
void *sqlite3_wal_hook(sqlite3*, int(*)(void*, sqlite3*, const char*, int), void*);
int sqlite3_wal_checkpoint_v2(sqlite3 *db, const char *zDb, int eMode, int *pnLog, int *pnCkpt);
int sqlite3_get_autocommit(sqlite3*);
const char *sqlite3_libversion(void);
int sqlite3_txn_state(sqlite3*, const char *zSchema);
int sqlite3_db_config(sqlite3*, int op, ...);

// SQLITE_TRANSIENT cannot be written in Go; these wrappers pass it.
static int warren_bind_text(sqlite3_stmt *s, int i, const char *p, int n) {
    return sqlite3_bind_text(s, i, p, n, (void(*)(void*))-1);
}
static int warren_bind_blob(sqlite3_stmt *s, int i, const void *p, int n) {
    return sqlite3_bind_blob(s, i, p, n, (void(*)(void*))-1);
}
static int warren_exec(sqlite3 *db, const char *sql) {
    return sqlite3_exec(db, sql, 0, 0, 0);
}
// sqlite3_db_config is variadic, which cgo cannot call.
static int warren_enable_triggers(sqlite3 *db, int on) {
    int now = 0;
    return sqlite3_db_config(db, 1003 /* SQLITE_DBCONFIG_ENABLE_TRIGGER */, on, &now);
}
// A connection's sticky interrupt (Conn.Interrupt): sqlite3_interrupt is
// forgotten by a statement that starts while no other runs, so an interrupt
// that comes just before sqlite3_step would be lost. The flag stays set until
// Conn.ClearInterrupt, and a progress handler polls it every 1000 virtual
// machine instructions.
static int warren_progress(void *stop) {
    return __atomic_load_n((int *)stop, __ATOMIC_RELAXED);
}
static void warren_watch_stop(sqlite3 *db, int *stop) {
    sqlite3_progress_handler(db, 1000, warren_progress, stop);
}
static void warren_interrupt(sqlite3 *db, int *stop) {
    __atomic_store_n(stop, 1, __ATOMIC_RELAXED);
    sqlite3_interrupt(db);
}
static void warren_clear_interrupt(int *stop) {
    __atomic_store_n(stop, 0, __ATOMIC_RELAXED);
}
// The WAL's length after a connection's last commit (Conn.CountWALFrames).
// Installing this hook turns the connection's autocheckpoint off.
static int warren_count_wal(void *n, sqlite3 *db, const char *name, int frames) {
    __atomic_store_n((int *)n, frames, __ATOMIC_RELAXED);
    return 0;
}
static void warren_watch_wal(sqlite3 *db, int *n) {
    sqlite3_wal_hook(db, warren_count_wal, n);
}
static int warren_load(int *n) {
    return __atomic_load_n(n, __ATOMIC_RELAXED);
}
#endif
