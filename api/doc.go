// Package api is Warren's HTTP/JSON front door: reads, writes, atomic batches,
// interactive transactions, database management, backups, health, and the
// OpenAPI contract (openapi.yaml at the module root) that requests are
// validated against.
//
// The package is a thin layer over package engine. Every error is an
// *engine.Error whose Code is turned into an HTTP status in one table
// (errors.go). The read path is hot (thousands of point reads per second per
// core), so query and exec validate their bodies with hand-written checks
// equivalent to the spec and write JSON by hand (values.go); the other routes
// are validated by kin-openapi (validate.go).
//
// Map of the files:
//
//	server.go     Config, Server, the route table and the per-route wrapper
//	auth.go       bearer tokens and per-database rights
//	limits.go     body and statement limits, body decoding
//	validate.go   kin-openapi request validation
//	values.go     JSON parameters in, JSON values out
//	errors.go     engine.Code → HTTP status, error bodies
//	query.go      POST /v1/db/{db}/query
//	exec.go       POST /v1/db/{db}/exec
//	tx.go         interactive transaction handlers
//	txtable.go    open transactions by id
//	databases.go  list, create, drop databases
//	backup.go     GET /v1/db/{db}/backup
//	cluster.go    GET /v1/cluster and the Cluster interface
//	health.go     /healthz, /readyz, /openapi.yaml
package api
