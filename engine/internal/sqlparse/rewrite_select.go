package sqlparse

import (
	"strconv"
	"strings"
)

// rewriteSelect wraps the SELECT of INSERT ... SELECT so that SQL numbers its
// rows. "WHERE true" keeps a following ON CONFLICT from reading as a join.
// The ids are always literals: the statement computes them from base and
// stride, so Rewrite.IDParams stays 0.
func (s *insertShape) rewriteSelect(src string, p idPlan, ids IDFunc) (Rewrite, error) {
	seq, err := reserveIDs(ids, UnknownRows)
	if err != nil {
		return Rewrite{}, err
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
	return Rewrite{SQL: sp.String(), Changed: true, Base: seq.next, Stride: seq.stride}, nil
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
