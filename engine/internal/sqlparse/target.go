package sqlparse

import (
	"fmt"
	"strings"
)

// Target describes the table an INSERT writes, as MintIDs needs it.
type Target struct {
	// IDCol is the table's INTEGER PRIMARY KEY column, or "rowid" for a rowid
	// table without one.
	IDCol string

	// Columns are the table's columns in the order an INSERT without a column
	// list fills them: declaration order, without generated columns. Only
	// statements without a column list (InsertInfo.Columns == nil) need them.
	Columns []string

	// IDParams asks MintIDs for ids as named parameters instead of literals,
	// so that the rewritten text is the same on every execution and its
	// prepared statement can be reused: the k-th id the statement needs (in
	// text order) is IDParamName(k), to be bound to Rewrite.ID(k). An id
	// column the statement omits is then added at the end of its column list
	// and the parameter at the end of each row. Literal ids are written all
	// the same for INSERT ... SELECT, for statements that number their
	// parameters (?NNN) or use a name that starts like an id parameter, for
	// texts longer than MaxCachedLen and for statements whose parameters would
	// exceed SQLite's default limit of 32766; Rewrite.IDParams tells which
	// happened.
	IDParams bool
}

// idPlan says where the id goes in the rows of one INSERT.
type idPlan struct {
	pos   int    // index of the id among each row's values, or -1 if rows omit it
	width int    // number of values each row must have
	at    int    // byte offset where cols is inserted
	cols  string // column text to insert at at, or ""
	param bool   // ids are parameters, and an added id goes last rather than first
}

// planID finds the id among the statement's columns, or plans to add it.
func (s *insertShape) planID(t Target) (idPlan, error) {
	param := t.IDParams && s.source != fromSelect && s.idParamsFit()
	if s.columns != nil {
		if i := idIndex(s.columns, t); i >= 0 {
			return idPlan{pos: i, width: len(s.columns), param: param}, nil
		}
		return s.planAddedID(t, param), nil
	}
	if s.source == fromDefault {
		return idPlan{pos: -1, param: param}, nil
	}
	if len(t.Columns) == 0 {
		return idPlan{}, fmt.Errorf("plan ids: the INSERT has no column list and the table's columns are unknown")
	}
	if i := columnIndex(t.Columns, t.IDCol); i >= 0 {
		return idPlan{pos: i, width: len(t.Columns), param: param}, nil
	}
	if !isRowidAlias(t.IDCol) {
		return idPlan{}, fmt.Errorf("plan ids: id column %q is not among the table's columns", t.IDCol)
	}
	return idPlan{pos: -1, width: len(t.Columns), at: s.nameEnd, cols: columnList(t.IDCol, t.Columns, param), param: param}, nil
}

// planAddedID plans to add the id to the explicit column list: first, or
// last in parameter mode, so that in a one-row INSERT the id parameter
// follows every value and the anonymous parameters (?) of the row keep the
// numbers SQLite gives them.
func (s *insertShape) planAddedID(t Target, param bool) idPlan {
	p := idPlan{pos: -1, width: len(s.columns), param: param}
	if param {
		p.at, p.cols = s.colsClose, ", "+quoteIdent(t.IDCol)
	} else {
		p.at, p.cols = s.colsOpen, quoteIdent(t.IDCol)+", "
	}
	return p
}

// idIndex returns the index of the column that sets the id, or -1. A rowid
// alias (rowid, oid, _rowid_) sets it too unless a real column has that name.
func idIndex(cols []string, t Target) int {
	for i, c := range cols {
		if equalFoldASCII(c, t.IDCol) || (isRowidAlias(c) && columnIndex(t.Columns, c) < 0) {
			return i
		}
	}
	return -1
}

// columnIndex returns the index of name in cols, ignoring ASCII case, or -1.
func columnIndex(cols []string, name string) int {
	for i, c := range cols {
		if equalFoldASCII(c, name) {
			return i
		}
	}
	return -1
}

// isRowidAlias reports whether name is one of SQLite's names for the rowid.
func isRowidAlias(name string) bool {
	return equalFoldASCII(name, "rowid") || equalFoldASCII(name, "oid") || equalFoldASCII(name, "_rowid_")
}

// columnList renders ("id", "a", "b") for the id column and the table's
// columns, or ("a", "b", "id") when idLast is set.
func columnList(idCol string, cols []string, idLast bool) string {
	names := make([]string, 0, len(cols)+1)
	for _, c := range cols {
		names = append(names, quoteIdent(c))
	}
	if idLast {
		names = append(names, quoteIdent(idCol))
	} else {
		names = append([]string{quoteIdent(idCol)}, names...)
	}
	return "(" + strings.Join(names, ", ") + ")"
}
