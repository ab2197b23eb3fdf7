// Package cluster holds end-to-end tests of real three-node Warren clusters.
//
// TestMain builds the warren binary once; each test starts its own nodes as
// separate processes on free loopback ports, drives them over the HTTP API and
// injects faults with signals: SIGTERM (graceful stop), SIGKILL (crash),
// SIGSTOP/SIGCONT (a node that looks partitioned) and restarts on the same
// data dir and ports.
//
// Replication is asynchronous, so the tests poll for convergence and never
// sleep and assert. Checks are named after the invariant they prove:
// anytime… holds at every observation, eventually… becomes true within a
// bound, finally… holds once the cluster has converged.
//
// Run with go test ./tests/cluster/ (about three minutes on two cores).
// WARREN_CLUSTER_LOG_LEVEL sets the nodes' log level (default info) and
// WARREN_CLUSTER_RACE=1 builds warren with the race detector; a node that
// panics or reports a data race fails its test. When a test fails, each
// node's whole log is kept in $TMPDIR/warren-cluster-logs/<pid>/<test>/.
package cluster
