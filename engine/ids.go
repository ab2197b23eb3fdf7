package engine

import (
	"math"
	"strings"

	"github.com/warren-db/warren/engine/internal/sqlparse"
)

// Ids: an INSERT that omits a table's integer key gets ids from this node's
// slot, id ≡ Slot (mod Stride), each above the table's current maximum, so two
// nodes never mint the same id and ids stay small.

// splitStatements splits SQL text into single statements.
func splitStatements(sql string) ([]string, error) {
	if i := strings.IndexByte(sql, ';'); i < 0 || strings.TrimSpace(sql[i+1:]) == "" {
		if strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(sql), ";")) == "" {
			return nil, nil
		}
		return []string{sql}, nil // the common case: one statement
	}
	texts, err := sqlparse.Split(sql)
	if err != nil {
		return nil, &Error{Code: CodeSyntax, Message: err.Error(), Err: err}
	}
	return texts, nil
}

// prepare analyses a statement for the writer and rewrites INSERTs to carry
// minted ids.
func (w *writer) prepare(text string) (string, stmtMeta, error) {
	info, err := w.db.parse.Analyze(text)
	if err != nil {
		return "", stmtMeta{}, &Error{Code: CodeSyntax, Message: err.Error(), Err: err}
	}
	meta := stmtMeta{ddl: info.Kind == sqlparse.KindDDL && !info.Temp}
	if meta.ddl {
		if err := w.lockSchema(); err != nil {
			return "", meta, err
		}
		if err := w.clearAlteredTriggers(info); err != nil {
			return "", meta, err
		}
	}
	switch info.Kind {
	case sqlparse.KindTx:
		return "", meta, Errorf(CodeInvalid, "%s is not allowed here: send statements together with transaction=true, or use an interactive transaction", info.Verb)
	case sqlparse.KindPragma:
		return "", meta, Errorf(CodeInvalid, "PRAGMA is not allowed in writes: read-only pragmas go to query")
	case sqlparse.KindOther:
		return "", meta, Errorf(CodeInvalid, "%s is not supported through Warren", info.Verb)
	case sqlparse.KindWrite:
		meta.insert = info.Verb == "INSERT" || info.Verb == "REPLACE"
	}
	if !meta.insert || info.Schema == "temp" {
		return text, meta, nil
	}
	ti := w.tables[info.Table]
	if ti == nil || ti.IDCol == "" {
		return text, meta, nil
	}
	if !info.Parsed {
		s, _, err := w.conn.Prepare(text)
		if err != nil {
			return "", meta, sqlError(err) // SQLite's own word on malformed SQL
		}
		s.Finalize()
		return "", meta, Errorf(CodeInvalid, "statement not supported for automatic ids on %s: give %s explicitly", ti.Name, ti.IDCol)
	}
	rw, err := w.db.parse.MintIDs(text, sqlparse.Target{IDCol: ti.IDCol, Columns: ti.Columns, IDParams: true}, w.idFunc(ti))
	if err != nil {
		return "", meta, &Error{Code: CodeInvalid, Message: "statement not supported for automatic ids: " + err.Error(), Err: err}
	}
	if rw.IDParams > 0 {
		meta.ids = &rw
	}
	return rw.SQL, meta, nil
}

// idFunc reserves ids above the table's current maximum.
func (w *writer) idFunc(ti *tableInfo) sqlparse.IDFunc {
	return func(rows int) (int64, int64, error) {
		maxID, err := queryInt(w.conn, "SELECT max("+quoteIdent(ti.IDCol)+") FROM "+quoteIdent(ti.Name))
		if err != nil {
			return 0, 0, sqlError(err)
		}
		return nextID(maxID, w.db.slot.Load(), int64(w.db.cfg.Stride)), int64(w.db.cfg.Stride), nil
	}
}

// nextID returns the smallest id above maxID that is ≡ slot (mod stride).
func nextID(maxID, slot, stride int64) int64 {
	if maxID < 0 {
		maxID = 0
	}
	if maxID > math.MaxInt64-2*stride {
		return maxID + 1 // out of room: SQLite will report the full key space
	}
	n := maxID - maxID%stride + slot%stride
	for n <= maxID {
		n += stride
	}
	return n
}
