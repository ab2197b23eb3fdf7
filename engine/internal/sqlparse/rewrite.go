package sqlparse

import (
	"errors"
	"fmt"
)

// Rewrite is an INSERT rewritten by MintIDs.
type Rewrite struct {
	// SQL is the statement to run.
	SQL string

	// Changed reports whether SQL differs from the statement given. A changed
	// statement with IDParams == 0 carries literal ids, so its text differs
	// from one execution to the next.
	Changed bool

	// IDParams is the number of id parameters in SQL, IDParamName(0) to
	// IDParamName(IDParams-1), each to be bound to ID(k). It is 0 unless
	// Target.IDParams was set, and also then for statements that keep literal
	// ids (see Target.IDParams).
	IDParams int

	// Base and Stride are the ids reserved from the IDFunc, when MintIDs
	// called it: base, base+stride, ...; both are 0 otherwise.
	Base, Stride int64
}

// ID returns the k-th id reserved for the statement, the value of
// IDParamName(k).
func (r Rewrite) ID(k int) int64 { return r.Base + int64(k)*r.Stride }

// MintIDs rewrites one INSERT or REPLACE statement so that every row it
// inserts gets an explicit id in t.IDCol when the statement omits it or gives
// NULL. Ids are literals, or named parameters when t.IDParams is set.
//
//   - VALUES rows that omit the id get one, and the column is added to the
//     column list: INSERT INTO t(a) VALUES (?) becomes
//     INSERT INTO t("id", a) VALUES (101, ?), or with t.IDParams
//     INSERT INTO t(a, "id") VALUES (?, :__warren_id_0).
//   - A NULL id is replaced by the id; any other expression e (a parameter, a
//     subquery) becomes coalesce(e, <id>), so a given id is kept.
//   - DEFAULT VALUES becomes ("id") VALUES (<id>).
//   - INSERT ... SELECT numbers its rows in SQL with the literal expression
//     <base> + (row_number() OVER () - 1) * <stride>, as the id when the SELECT
//     omits it and through coalesce when it supplies one.
//
// Only those bytes change: comments, literals, parameters (?, ?NNN, :name,
// @name, $name keep their order), WITH clauses, OR conflict actions, upsert
// and RETURNING clauses stay as written. SQLite numbers an id parameter like
// any other, so a ? after it gets a number one higher than before; binding
// the statement's own anonymous parameters in increasing order of number,
// skipping the id parameters, binds them as written.
//
// A statement whose rows all give a non-NULL literal id is returned unchanged
// and ids is not called. A statement rqlite/sql cannot parse fails with
// ErrNotSupported; a statement that is not an INSERT fails with ErrNotInsert.
// MintIDs does not cache; see Cache.
func MintIDs(sql string, t Target, ids IDFunc) (Rewrite, error) {
	a, err := analyze(sql)
	if err != nil {
		return Rewrite{}, fmt.Errorf("rewrite insert: %w", err)
	}
	return a.mintIDs(sql, t, ids)
}

// RewriteInsert is MintIDs for callers that bind no id parameters: it ignores
// t.IDParams, always writes literal ids, and returns the statement to run and
// whether it differs from sql.
func RewriteInsert(sql string, t Target, ids IDFunc) (string, bool, error) {
	t.IDParams = false
	r, err := MintIDs(sql, t, ids)
	return r.SQL, r.Changed, err
}

// mintIDs is MintIDs for an analyzed statement.
func (a *analysis) mintIDs(src string, t Target, ids IDFunc) (Rewrite, error) {
	switch {
	case a.info.Verb != "INSERT" && a.info.Verb != "REPLACE":
		return Rewrite{}, fmt.Errorf("rewrite insert: %w: %s", ErrNotInsert, a.info.Verb)
	case !a.info.Parsed:
		return Rewrite{}, fmt.Errorf("rewrite insert: %w: %w", ErrNotSupported, a.parseErr)
	case a.insert == nil:
		return Rewrite{}, fmt.Errorf("rewrite insert: %w: %w", ErrNotSupported, a.shapeErr)
	case t.IDCol == "":
		return Rewrite{}, errors.New("rewrite insert: target has no id column")
	}
	r, err := a.insert.rewrite(src, t, ids)
	if err != nil {
		return Rewrite{}, fmt.Errorf("rewrite insert: %w", err)
	}
	return r, nil
}

// rewrite rewrites the statement src that s was built from.
func (s *insertShape) rewrite(src string, t Target, ids IDFunc) (Rewrite, error) {
	p, err := s.planID(t)
	if err != nil {
		return Rewrite{}, err
	}
	switch s.source {
	case fromDefault:
		return s.rewriteDefault(src, t, p, ids)
	case fromSelect:
		return s.rewriteSelect(src, p, ids)
	default:
		return s.rewriteValues(src, p, ids)
	}
}

// rewriteValues gives an id to every VALUES row that lacks a literal one.
func (s *insertShape) rewriteValues(src string, p idPlan, ids IDFunc) (Rewrite, error) {
	need := 0
	for _, r := range s.rows {
		if len(r.values) != p.width {
			return Rewrite{}, fmt.Errorf("plan ids: %d values for %d columns", len(r.values), p.width)
		}
		if p.pos < 0 || r.values[p.pos].kind != valueLiteral {
			need++
		}
	}
	if need == 0 {
		return Rewrite{SQL: src}, nil
	}
	seq, err := reserveIDs(ids, need)
	if err != nil {
		return Rewrite{}, err
	}
	w := &idWriter{seq: seq, param: p.param}
	sp := newSplicer(src, len(p.cols)+need*(len(IDParamPrefix)+14))
	sp.copyTo(p.at)
	sp.write(p.cols)
	for _, r := range s.rows {
		rewriteRow(sp, r, p, w)
	}
	return newRewrite(sp.String(), seq, w), nil
}

// rewriteRow writes one row's id: first or last when the row omits it, in
// place of a NULL, or as the fallback of coalesce around an expression.
func rewriteRow(sp *splicer, r valuesRow, p idPlan, w *idWriter) {
	switch {
	case p.pos < 0 && p.param:
		sp.copyTo(r.close)
		sp.write(", ")
		w.write(sp)
	case p.pos < 0:
		sp.copyTo(r.open)
		w.write(sp)
		sp.write(", ")
	case r.values[p.pos].kind == valueNull:
		v := r.values[p.pos]
		sp.copyTo(v.start)
		w.write(sp)
		sp.skipTo(v.end)
	case r.values[p.pos].kind == valueExpr:
		v := r.values[p.pos]
		sp.copyTo(v.start)
		sp.write("coalesce(")
		sp.copyTo(v.end)
		sp.write(", ")
		w.write(sp)
		sp.write(")")
	}
}

// rewriteDefault turns DEFAULT VALUES into a one-row VALUES with the id.
func (s *insertShape) rewriteDefault(src string, t Target, p idPlan, ids IDFunc) (Rewrite, error) {
	seq, err := reserveIDs(ids, 1)
	if err != nil {
		return Rewrite{}, err
	}
	w := &idWriter{seq: seq, param: p.param}
	sp := newSplicer(src, 32+len(t.IDCol))
	sp.copyTo(s.deflt[0])
	sp.write("(" + quoteIdent(t.IDCol) + ") VALUES (")
	w.write(sp)
	sp.write(")")
	sp.skipTo(s.deflt[1])
	return newRewrite(sp.String(), seq, w), nil
}

// newRewrite is the result of a changed statement whose ids w wrote from
// the run reserved.
func newRewrite(sql string, reserved idSeq, w *idWriter) Rewrite {
	r := Rewrite{SQL: sql, Changed: true, Base: reserved.next, Stride: reserved.stride}
	if w.param {
		r.IDParams = w.n
	}
	return r
}
