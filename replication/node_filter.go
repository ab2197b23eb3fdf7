package replication

import (
	"path"

	"github.com/warren-db/warren/engine"
)

// TableFilter selects the tables of a database that replicate: a table
// replicates if it matches an Include pattern (or Include is empty) and no
// Exclude pattern. Patterns are shell globs (path.Match). Excluded tables
// stay local: their row changes never cross the wire.
type TableFilter struct {
	Include []string
	Exclude []string
}

// Match reports whether table replicates.
func (f *TableFilter) Match(table string) bool {
	if f == nil {
		return true
	}
	for _, p := range f.Exclude {
		if ok, _ := path.Match(p, table); ok {
			return false
		}
	}
	if len(f.Include) == 0 {
		return true
	}
	for _, p := range f.Include {
		if ok, _ := path.Match(p, table); ok {
			return true
		}
	}
	return false
}

// filterSets drops the row changes of local-only tables. A set keeps its
// identity (origin, seq) even when all its rows are local, so vectors stay
// contiguous on every node.
func (n *Node) filterSets(db string, sets []*engine.ChangeSet) []*engine.ChangeSet {
	f := n.cfg.Filters[db]
	if f == nil {
		return sets
	}
	out := make([]*engine.ChangeSet, len(sets))
	for i, cs := range sets {
		c := *cs
		c.Changes = nil
		for _, ch := range cs.Changes {
			if f.Match(ch.Table) {
				c.Changes = append(c.Changes, ch)
			}
		}
		out[i] = &c
	}
	return out
}
