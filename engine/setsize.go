package engine

import (
	"errors"
	"fmt"
)

// A change set travels to each peer as one message, so a set larger than
// the replication transport carries could never reach them: the origin
// would keep a write its peers never get, and a QUORUM write would fail on
// every retry. A node that replicates therefore refuses a client
// transaction whose row changes exceed MaxChangeSetBytes (CodeTooLarge).
// A group commit stamps its requests into one set (stampBatch); when they
// are too large together, the batch runs again with a set per client
// transaction, so that only one that is too large on its own fails.

// ErrTransactionTooLarge is wrapped by the CodeTooLarge error of a client
// transaction whose changes exceed MaxChangeSetBytes.
var ErrTransactionTooLarge = errors.New("transaction too large to replicate")

// errSplitBatch: the batch's changes, stamped together, would exceed the
// limit; it runs again with every client transaction stamped alone.
var errSplitBatch = errors.New("the group commit's change set is too large: stamp each client transaction alone")

// Size estimates the encoded size of cs: its keys, row images and DDL.
func (cs *ChangeSet) Size() int {
	n := 0
	for _, c := range cs.Changes {
		n += len(c.Table) + len(c.Op) + len(c.PK) + len(c.Before) + len(c.After) + 32
	}
	for _, s := range cs.Schema {
		n += len(s.SQL) + len(s.Origin) + 32
	}
	return n
}

// stampChecked stamps like stamp, and refuses (ErrTransactionTooLarge) a
// change set the peers could not receive; the caller rolls it back.
func (w *writer) stampChecked() (*ChangeSet, error) {
	cs, err := w.stamp()
	if err != nil || cs == nil || w.db.repl() == nil {
		return cs, err
	}
	if n, limit := cs.Size(), w.db.cfg.MaxChangeSetBytes; n > limit {
		return nil, &Error{Code: CodeTooLarge, Err: ErrTransactionTooLarge, Message: fmt.Sprintf(
			"the transaction changes %s of rows, more than the %s one transaction may change in a cluster (max_transaction_bytes): split it into smaller transactions",
			mebibytes(n), mebibytes(limit))}
	}
	return cs, nil
}

func mebibytes(n int) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
