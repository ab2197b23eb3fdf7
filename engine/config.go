package engine

import (
	"log/slog"
	"time"
)

// Config configures an Engine. Library users start from DefaultConfig.
type Config struct {
	DataDir         string        // where databases and the node identity live
	NodeID          string        // requested node id; "" keeps the stored one or makes one
	DefaultDatabase string        // created at first start ("main")
	Slot            int           // this node's id slot, 1..Stride; 0: the slot stored in the data dir, else 1
	Stride          int           // id stride: ids minted here are ≡ Slot (mod Stride)
	Synchronous     string        // "normal" (default: durable against crashes of the process, may lose the last commits on power loss) or "full"
	BusyTimeout     time.Duration // how long a connection waits for a lock held by another process
	ReadConns       int           // read-only connections per database
	MaxBatch        int           // most client transactions in one group commit
	QueryTimeout    time.Duration // default and ceiling of a statement's run time
	MaxRows         int           // most rows one answer may carry
	TxIdleTimeout   time.Duration // an interactive transaction idle this long rolls back
	// DefaultConsistency is the write level of requests that name none.
	DefaultConsistency Consistency
	// PrepareTimeout bounds the wait for peers' acks of a QUORUM/ALL write.
	PrepareTimeout time.Duration
	// MaxChangeSetBytes bounds the row images one transaction may change
	// on a node that replicates: peers receive a change set in one message,
	// so a larger one could never reach them (setsize.go).
	MaxChangeSetBytes int
	// WALCheckpointPages is how long the WAL grows before a connection of its
	// own copies it back into the database file (checkpoint.go), as SQLite's
	// wal_autocheckpoint would inside the writer's commit.
	WALCheckpointPages int
	// GroupCommitWindow is how long a busy writer holds a batch open for
	// more requests of its kind (client writes, or peers' change sets) to
	// join it (window.go); 0 never waits.
	GroupCommitWindow time.Duration
	Logger            *slog.Logger
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		DataDir:         "./warren-data",
		DefaultDatabase: "main",
		Stride:          32,
		Synchronous:     "normal",
		BusyTimeout:     5 * time.Second,
		ReadConns:       4,
		MaxBatch:        256,
		QueryTimeout:    30 * time.Second,
		MaxRows:         100000,
		TxIdleTimeout:   10 * time.Second,

		DefaultConsistency: ConsistencyQuorum,
		PrepareTimeout:     5 * time.Second,
		MaxChangeSetBytes:  32 << 20,
		// 1000 (SQLite's default) copied back every ~0.15 s under write load,
		// the hot pages again each time; 8000 (a 32 MiB WAL at 4 KiB pages)
		// lowered the p99 of 64 QUORUM clients (29.8 → 24.5 ms) for rarer but
		// longer writer pauses (docs/ARCHITECTURE.md, Storage).
		WALCheckpointPages: 8000,
		GroupCommitWindow:  time.Millisecond,
	}
}

// validate checks the settings the engine depends on.
func (c *Config) validate() error {
	switch {
	case c.DataDir == "":
		return Errorf(CodeInvalid, "data dir is empty")
	case c.Stride < 1 || c.Stride > 1<<16:
		return Errorf(CodeInvalid, "id stride %d is out of range: use 1..65536", c.Stride)
	case c.Slot < 0 || c.Slot > c.Stride:
		return Errorf(CodeInvalid, "id slot %d is out of range: use 1..%d (the id stride)", c.Slot, c.Stride)
	case c.Synchronous != "normal" && c.Synchronous != "full":
		return Errorf(CodeInvalid, "synchronous %q is not valid: use normal or full", c.Synchronous)
	case c.ReadConns < 1 || c.MaxBatch < 1 || c.MaxRows < 1 || c.MaxChangeSetBytes < 1 || c.WALCheckpointPages < 1:
		return Errorf(CodeInvalid, "read conns, max batch, max rows, max change set bytes and WAL checkpoint pages must be at least 1")
	case c.DefaultConsistency < ConsistencyOne || c.DefaultConsistency > ConsistencyAll:
		return Errorf(CodeInvalid, "default consistency must be one, quorum or all")
	case c.QueryTimeout <= 0 || c.TxIdleTimeout <= 0 || c.BusyTimeout < 0 || c.PrepareTimeout <= 0:
		return Errorf(CodeInvalid, "timeouts must be positive")
	case c.GroupCommitWindow < 0:
		return Errorf(CodeInvalid, "group commit window must not be negative")
	}
	return nil
}
