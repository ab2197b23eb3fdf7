package cdc

import (
	"fmt"
	"strconv"
	"strings"
)

// Position is where an event sits in one node's change feed: the log
// position of its change set and its index among the set's row changes.
// Positions are node-local: they order one node's feed, not the cluster's.
type Position struct {
	Pos   int64
	Index int
}

// String renders a position as "pos-index", the SSE id of its event, or as
// "pos" for the end of the change set at pos.
func (p Position) String() string {
	if p.Index == lastIndex {
		return strconv.FormatInt(p.Pos, 10)
	}
	return strconv.FormatInt(p.Pos, 10) + "-" + strconv.Itoa(p.Index)
}

// End returns the position after every event of the change set at pos.
func End(pos int64) Position { return Position{Pos: pos, Index: lastIndex} }

// ParsePosition reads "pos-index", or a bare "pos" meaning the whole change
// set at pos (resume after it).
func ParsePosition(s string) (Position, error) {
	posText, indexText, hasIndex := strings.Cut(strings.TrimSpace(s), "-")
	pos, err := strconv.ParseInt(posText, 10, 64)
	if err != nil || pos < 0 {
		return Position{}, fmt.Errorf("parse position %q: want pos-index, two non-negative integers", s)
	}
	if !hasIndex {
		return Position{Pos: pos, Index: lastIndex}, nil
	}
	index, err := strconv.Atoi(indexText)
	if err != nil || index < 0 {
		return Position{}, fmt.Errorf("parse position %q: want pos-index, two non-negative integers", s)
	}
	return Position{Pos: pos, Index: index}, nil
}

// lastIndex stands for "every row change of the set".
const lastIndex = int(^uint(0) >> 1)

// before reports whether p comes before q in the feed.
func (p Position) before(q Position) bool {
	return p.Pos < q.Pos || p.Pos == q.Pos && p.Index < q.Index
}
