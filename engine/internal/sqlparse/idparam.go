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

// clashesWithIDParams reports whether id parameters added to the statement
// toks could be confused with its own: SQLite numbers a named parameter after
// the parameters before it, so a later ?NNN could reuse its number, and a
// parameter named like an id parameter (with any prefix, in any case) could
// share its slot or be mistaken for one by the binder.
func clashesWithIDParams(src string, toks []token) bool {
	idName := IDParamPrefix[1:]
	for _, t := range toks {
		if t.kind != tokParam {
			continue
		}
		p := t.text(src)
		if p[0] == '?' && len(p) > 1 {
			return true
		}
		if len(p) >= 1+len(idName) && strings.EqualFold(p[1:1+len(idName)], idName) {
			return true
		}
	}
	return false
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
