package sqlparse

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// RewriteInsert rewrites one INSERT or REPLACE statement so that every row it
// inserts gets an explicit id in t.IDCol when the statement omits it or gives
// NULL. It returns the statement to run and whether it differs from sql.
//
//   - VALUES rows that omit the id get a literal id from ids, and the column is
//     added to the column list: INSERT INTO t(a) VALUES (1) becomes
//     INSERT INTO t("id", a) VALUES (101, 1).
//   - A NULL id becomes a literal id; any other expression e (a parameter, a
//     subquery) becomes coalesce(e, <id>), so a given id is kept.
//   - DEFAULT VALUES becomes ("id") VALUES (<id>).
//   - INSERT ... SELECT numbers its rows in SQL with
//     <base> + (row_number() OVER () - 1) * <stride>, as the id when the SELECT
//     omits it and through coalesce when it supplies one.
//
// Only those bytes change: comments, literals, parameters (?, ?NNN, :name,
// @name, $name keep their numbering), WITH clauses, OR conflict actions,
// upsert and RETURNING clauses stay as written. A statement whose rows all give
// a non-NULL literal id is returned unchanged and ids is not called. A
// statement rqlite/sql cannot parse fails with ErrNotSupported; a statement
// that is not an INSERT fails with ErrNotInsert. RewriteInsert does not cache;
// see Cache.
func RewriteInsert(sql string, t Target, ids IDFunc) (string, bool, error) {
	a, err := analyze(sql)
	if err != nil {
		return "", false, fmt.Errorf("rewrite insert: %w", err)
	}
	return a.rewriteInsert(sql, t, ids)
}

// rewriteInsert is RewriteInsert for an analyzed statement.
func (a *analysis) rewriteInsert(src string, t Target, ids IDFunc) (string, bool, error) {
	switch {
	case a.info.Verb != "INSERT" && a.info.Verb != "REPLACE":
		return "", false, fmt.Errorf("rewrite insert: %w: %s", ErrNotInsert, a.info.Verb)
	case !a.info.Parsed:
		return "", false, fmt.Errorf("rewrite insert: %w: %w", ErrNotSupported, a.parseErr)
	case a.insert == nil:
		return "", false, fmt.Errorf("rewrite insert: %w: %w", ErrNotSupported, a.shapeErr)
	case t.IDCol == "":
		return "", false, errors.New("rewrite insert: target has no id column")
	}
	out, changed, err := a.insert.rewrite(src, t, ids)
	if err != nil {
		return "", false, fmt.Errorf("rewrite insert: %w", err)
	}
	return out, changed, nil
}

// rewrite rewrites the statement src that s was built from.
func (s *insertShape) rewrite(src string, t Target, ids IDFunc) (string, bool, error) {
	p, err := s.planID(t)
	if err != nil {
		return "", false, err
	}
	switch s.source {
	case fromDefault:
		return s.rewriteDefault(src, t, ids)
	case fromSelect:
		return s.rewriteSelect(src, p, ids)
	default:
		return s.rewriteValues(src, p, ids)
	}
}

// rewriteValues gives an id to every VALUES row that lacks a literal one.
func (s *insertShape) rewriteValues(src string, p idPlan, ids IDFunc) (string, bool, error) {
	need := 0
	for _, r := range s.rows {
		if len(r.values) != p.width {
			return "", false, fmt.Errorf("plan ids: %d values for %d columns", len(r.values), p.width)
		}
		if p.pos < 0 || r.values[p.pos].kind != valueLiteral {
			need++
		}
	}
	if need == 0 {
		return src, false, nil
	}
	seq, err := reserveIDs(ids, need)
	if err != nil {
		return "", false, err
	}
	sp := newSplicer(src, len(p.cols)+need*32)
	sp.copyTo(p.at)
	sp.write(p.cols)
	for _, r := range s.rows {
		s.rewriteRow(sp, r, p.pos, &seq)
	}
	return sp.String(), true, nil
}

// rewriteRow writes one row's id: before its first value when the row omits
// it, in place of a NULL, or as the fallback of coalesce around an expression.
func (s *insertShape) rewriteRow(sp *splicer, r valuesRow, pos int, seq *idSeq) {
	if pos < 0 {
		sp.copyTo(r.open)
		sp.writeInt(seq.take())
		sp.write(", ")
		return
	}
	v := r.values[pos]
	switch v.kind {
	case valueNull:
		sp.copyTo(v.start)
		sp.writeInt(seq.take())
		sp.skipTo(v.end)
	case valueExpr:
		sp.copyTo(v.start)
		sp.write("coalesce(")
		sp.copyTo(v.end)
		sp.write(", ")
		sp.writeInt(seq.take())
		sp.write(")")
	}
}

// rewriteDefault turns DEFAULT VALUES into a one-row VALUES with the id.
func (s *insertShape) rewriteDefault(src string, t Target, ids IDFunc) (string, bool, error) {
	seq, err := reserveIDs(ids, 1)
	if err != nil {
		return "", false, err
	}
	sp := newSplicer(src, 32+len(t.IDCol))
	sp.copyTo(s.deflt[0])
	sp.write("(" + quoteIdent(t.IDCol) + ") VALUES (")
	sp.writeInt(seq.take())
	sp.write(")")
	sp.skipTo(s.deflt[1])
	return sp.String(), true, nil
}

// rewriteSelect wraps the SELECT of INSERT ... SELECT so that SQL numbers its
// rows. "WHERE true" keeps a following ON CONFLICT from reading as a join.
func (s *insertShape) rewriteSelect(src string, p idPlan, ids IDFunc) (string, bool, error) {
	seq, err := reserveIDs(ids, UnknownRows)
	if err != nil {
		return "", false, err
	}
	idExpr := strconv.FormatInt(seq.next, 10) + " + (row_number() OVER () - 1) * " + strconv.FormatInt(seq.stride, 10)
	prefix, suffix := "SELECT "+idExpr+", * FROM (", ") WHERE true"
	if p.pos >= 0 {
		prefix, suffix = selectWithID(p, idExpr), ")) WHERE true"
	}
	sp := newSplicer(src, len(p.cols)+len(prefix)+len(suffix))
	sp.copyTo(p.at)
	sp.write(p.cols)
	sp.copyTo(s.sel[0])
	sp.write(prefix)
	sp.copyTo(s.sel[1])
	sp.write(suffix)
	return sp.String(), true, nil
}

// selectWithID renders the head of a wrapper that keeps the SELECT's own id
// and falls back to idExpr when it is NULL. The SELECT's columns are renamed
// c1..cN by a compound whose empty first arm fixes the names:
//
//	SELECT c1, coalesce(c2, <idExpr>) FROM (SELECT NULL AS c1, NULL AS c2
//	WHERE 0 UNION ALL SELECT * FROM (<select>)) WHERE true
func selectWithID(p idPlan, idExpr string) string {
	var outer, names strings.Builder
	for i := 1; i <= p.width; i++ {
		if i > 1 {
			outer.WriteString(", ")
			names.WriteString(", ")
		}
		c := "c" + strconv.Itoa(i)
		if i-1 == p.pos {
			outer.WriteString("coalesce(" + c + ", " + idExpr + ")")
		} else {
			outer.WriteString(c)
		}
		names.WriteString("NULL AS " + c)
	}
	return "SELECT " + outer.String() + " FROM (SELECT " + names.String() + " WHERE 0 UNION ALL SELECT * FROM ("
}
