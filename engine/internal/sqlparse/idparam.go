package sqlparse

import (
	"strconv"
	"strings"
)

// IDParamPrefix starts the name of every id parameter MintIDs writes when
// Target.IDParams is set: the k-th id of a statement (k from 0, in text order)
// is the named parameter IDParamPrefix followed by k, as IDParamName returns.
const IDParamPrefix = ":__warren_id_"

// IDParamName returns the name of the k-th id parameter, with its ":" prefix,
// as sqlite3_bind_parameter_name reports it.
func IDParamName(k int) string { return IDParamPrefix + strconv.Itoa(k) }

// maxVariables is SQLite's default SQLITE_MAX_VARIABLE_NUMBER, the highest
// parameter number a statement may use.
const maxVariables = 32766

// scanParams counts the parameters of the statement toks and reports whether
// id parameters added to it could be confused with its own: SQLite numbers a
// named parameter after the parameters before it, so a later ?NNN could reuse
// its number, and a parameter named like an id parameter (with any prefix, in
// any case) could share its slot or be mistaken for one by the binder.
func scanParams(src string, toks []token) (count int, clash bool) {
	idName := IDParamPrefix[1:]
	for _, t := range toks {
		if t.kind != tokParam {
			continue
		}
		count++
		p := t.text(src)
		if p[0] == '?' && len(p) > 1 {
			clash = true
		}
		if len(p) >= 1+len(idName) && strings.EqualFold(p[1:1+len(idName)], idName) {
			clash = true
		}
	}
	return count, clash
}

// idParamsFit reports whether the statement should take id parameters: it has
// none that could clash with them, and room for one more per row. A text
// longer than MaxCachedLen keeps literal ids: it is rarely repeated, a Cache
// would not keep its rewrite, and SQLite finds a named parameter by a linear
// search, so thousands of them make the statement slower to prepare.
func (s *insertShape) idParamsFit() bool {
	return !s.paramClash && !s.long && s.params+max(len(s.rows), 1) <= maxVariables
}

// idWriter writes the ids of one statement, in text order: literals taken
// from seq, or the parameters IDParamName(0), IDParamName(1), ...
type idWriter struct {
	seq   idSeq
	param bool
	n     int // ids written so far
}

// write appends the next id to sp.
func (w *idWriter) write(sp *splicer) {
	if w.param {
		sp.write(IDParamPrefix)
		sp.writeInt(int64(w.n))
	} else {
		sp.writeInt(w.seq.take())
	}
	w.n++
}
