package sqlparse

import (
	"errors"
	"fmt"
	"math"
)

// IDFunc reserves ids for one statement. MintIDs calls it at most once per
// call, and only when some row needs an id; a Cache that remembers the
// rewritten text still calls it every time. rows is the number of rows that
// need one, or UnknownRows for INSERT ... SELECT, whose rows are only known
// when it runs. A row whose id is an expression (a parameter, say) counts: its
// id is used only if the expression is NULL, so reserved ids may go unused.
// The ids are base, base+stride, ..., base+(rows-1)*stride; stride must be
// positive. For UnknownRows the rewritten statement computes row k's id
// (k from 0) as base+k*stride itself, so the caller learns how far the
// sequence was used only after running it, for example from max(id).
type IDFunc func(rows int) (base, stride int64, err error)

// idSeq is a reserved run of ids.
type idSeq struct{ next, stride int64 }

// take returns the next id of the run.
func (s *idSeq) take() int64 {
	id := s.next
	s.next += s.stride
	return id
}

// reserveIDs calls ids for rows rows and checks what it returns.
func reserveIDs(ids IDFunc, rows int) (idSeq, error) {
	if ids == nil {
		return idSeq{}, errors.New("reserve ids: no id function")
	}
	base, stride, err := ids(rows)
	if err != nil {
		return idSeq{}, fmt.Errorf("reserve ids: %w", err)
	}
	if stride <= 0 {
		return idSeq{}, fmt.Errorf("reserve ids: stride %d is not positive", stride)
	}
	if rows > 1 && overflows(base, int64(rows-1), stride) {
		return idSeq{}, fmt.Errorf("reserve ids: %d ids from %d by %d overflow", rows, base, stride)
	}
	return idSeq{next: base, stride: stride}, nil
}

// overflows reports whether base + n*stride overflows int64, for n, stride > 0.
func overflows(base, n, stride int64) bool {
	if n > math.MaxInt64/stride {
		return true
	}
	return base > 0 && n*stride > math.MaxInt64-base
}
