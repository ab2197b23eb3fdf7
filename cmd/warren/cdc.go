package main

import (
	"github.com/warren-db/warren/cdc"
)

// newFeed builds the node's change feed, which the SSE endpoints and the
// publishers read.
func (m *Main) newFeed() *cdc.Feed {
	return cdc.NewFeed(m.engine, cdc.Options{
		Cluster:      m.Config.ClusterName,
		Version:      version,
		Schemas:      m.Config.CDCSchemas,
		Transactions: m.Config.CDCTransactions,
	})
}
