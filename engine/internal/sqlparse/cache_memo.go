package sqlparse

import (
	"fmt"
	"slices"
)

// rewriteMemo is a statement's MintIDs result with id parameters, which does
// not depend on the ids reserved, for the Target it was made for. It is
// immutable once built.
type rewriteMemo struct {
	idCol   string
	columns []string
	sql     string // the rewritten statement; "" when it is unchanged
	ids     int    // number of id parameters
}

// newRewriteMemo records r, a result for t with id parameters or unchanged.
func newRewriteMemo(t Target, r Rewrite) *rewriteMemo {
	m := &rewriteMemo{idCol: t.IDCol, columns: slices.Clone(t.Columns), ids: r.IDParams}
	if r.Changed {
		m.sql = r.SQL
	}
	return m
}

// matches reports whether m was made for a target equal to t.
func (m *rewriteMemo) matches(t Target) bool {
	return m.idCol == t.IDCol && slices.Equal(m.columns, t.Columns)
}

// rewrite returns the memoized result for sql with fresh ids from ids.
func (m *rewriteMemo) rewrite(sql string, ids IDFunc) (Rewrite, error) {
	if m.ids == 0 {
		return Rewrite{SQL: sql}, nil
	}
	seq, err := reserveIDs(ids, m.ids)
	if err != nil {
		return Rewrite{}, fmt.Errorf("rewrite insert: %w", err)
	}
	return Rewrite{SQL: m.sql, Changed: true, IDParams: m.ids, Base: seq.next, Stride: seq.stride}, nil
}
