package main

// The statements warren-bench sends. The fake server in the tests matches
// them verbatim.
const (
	benchTable     = "bench_kv"
	sqlCreateTable = "CREATE TABLE IF NOT EXISTS bench_kv(id INTEGER PRIMARY KEY, k TEXT, v TEXT)"
	sqlPreload     = "INSERT OR IGNORE INTO bench_kv(id, k, v) VALUES (?, ?, ?)"
	sqlCountRange  = "SELECT COUNT(*) FROM bench_kv WHERE id BETWEEN 1 AND ?"
	sqlInsert      = "INSERT INTO bench_kv(k, v) VALUES (?, ?)"
	sqlPointRead   = "SELECT k, v FROM bench_kv WHERE id = ?"
	sqlVisible     = "SELECT id FROM bench_kv WHERE id = ?"
)
