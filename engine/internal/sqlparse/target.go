package sqlparse

import (
	"fmt"
	"strings"
)

// Target describes the table an INSERT writes, as RewriteInsert needs it.
type Target struct {
	// IDCol is the table's INTEGER PRIMARY KEY column, or "rowid" for a rowid
	// table without one.
	IDCol string

	// Columns are the table's columns in the order an INSERT without a column
	// list fills them: declaration order, without generated columns. Only
	// statements without a column list (InsertInfo.Columns == nil) need them.
	Columns []string
}

// idPlan says where the id goes in the rows of one INSERT.
type idPlan struct {
	pos   int    // index of the id among each row's values, or -1 if rows omit it
	width int    // number of values each row must have
	at    int    // byte offset where cols is inserted
	cols  string // column text to insert at at, or ""
}

// planID finds the id among the statement's columns, or plans to add it.
func (s *insertShape) planID(t Target) (idPlan, error) {
	if s.columns != nil {
		if i := idIndex(s.columns, t); i >= 0 {
			return idPlan{pos: i, width: len(s.columns)}, nil
		}
		return idPlan{pos: -1, width: len(s.columns), at: s.colsOpen, cols: quoteIdent(t.IDCol) + ", "}, nil
	}
	if s.source == fromDefault {
		return idPlan{pos: -1}, nil
	}
	if len(t.Columns) == 0 {
		return idPlan{}, fmt.Errorf("plan ids: the INSERT has no column list and the table's columns are unknown")
	}
	if i := columnIndex(t.Columns, t.IDCol); i >= 0 {
		return idPlan{pos: i, width: len(t.Columns)}, nil
	}
	if !isRowidAlias(t.IDCol) {
		return idPlan{}, fmt.Errorf("plan ids: id column %q is not among the table's columns", t.IDCol)
	}
	return idPlan{pos: -1, width: len(t.Columns), at: s.nameEnd, cols: columnList(t.IDCol, t.Columns)}, nil
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

// columnList renders ("id", "a", "b") for the id column and the table's columns.
func columnList(idCol string, cols []string) string {
	var b strings.Builder
	b.WriteString("(")
	b.WriteString(quoteIdent(idCol))
	for _, c := range cols {
		b.WriteString(", ")
		b.WriteString(quoteIdent(c))
	}
	b.WriteString(")")
	return b.String()
}
