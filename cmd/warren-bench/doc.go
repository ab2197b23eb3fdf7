// Warren-bench drives Warren's HTTP API with a fixed workload and prints
// throughput and latency, so anyone can reproduce the project's performance
// figures on their own machine.
//
// It creates (if needed) a database and the table
// bench_kv(id INTEGER PRIMARY KEY, k TEXT, v TEXT), preloads rows with ids
// 1..N, then runs one goroutine per client against POST /v1/db/{db}/query
// and POST /v1/db/{db}/exec for a warmup period (not counted) and a measured
// period. Workloads: point-read, insert, batch and mixed.
//
// With -lag-url it also measures write-to-visible lag on a second node, and
// with -baseline it measures a trivial in-process HTTP server instead of
// Warren: the floor for HTTP point reads on the same machine.
//
// Run "warren-bench -h" for the flags.
package main
