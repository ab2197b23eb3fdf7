package mysqlwire

import (
	"strconv"

	"github.com/warren-db/warren/engine"
)

// typeColumns returns rows with the type hints of a Plan (Plan.ColumnTypes)
// as the declared types of the columns SQLite declares none for. rows is
// not modified; hints of the wrong length are ignored.
func typeColumns(rows *engine.Rows, hints []string) *engine.Rows {
	if rows == nil || len(hints) != len(rows.Columns) {
		return rows
	}
	var cols []engine.Column
	for i, h := range hints {
		if h == "" || rows.Columns[i].DeclType != "" {
			continue
		}
		decl := resolveHint(h, rows.Rows, i)
		if decl == "" {
			continue
		}
		if cols == nil {
			cols = append([]engine.Column(nil), rows.Columns...)
		}
		cols[i].DeclType = decl
	}
	if cols == nil {
		return rows
	}
	typed := *rows
	typed.Columns = cols
	return &typed
}

// resolveHint turns a hint into a declared type, looking at column i of rows
// for the hints that depend on the values; "" leaves the column to them.
func resolveHint(h string, rows [][]engine.Value, i int) string {
	switch h {
	case hintSum:
		vc := classify(rows, i, kindNull)
		if vc.ints > 0 && vc.floats+vc.texts+vc.blobs == 0 {
			return "decimal(32,0)" // MySQL's SUM of an integer column
		}
		return ""
	case hintTemporal:
		return temporalShape(rows, i)
	}
	return h
}

// temporalShape returns "date" when every value of column i is a YYYY-MM-DD
// string, "datetime" (with its fractional digits) when every one is a
// YYYY-MM-DD HH:MM:SS[.f] string, else "".
func temporalShape(rows [][]engine.Value, i int) string {
	shape := ""
	for _, row := range rows {
		var s string
		switch v := row[i].(type) {
		case nil:
			continue
		case string:
			s = v
		default:
			return ""
		}
		var this string
		switch {
		case len(s) == 10:
			if _, ok := parseTemporal(s, kindDate); ok {
				this = "date"
			}
		case len(s) >= 19 && s[10] == ' ':
			if _, ok := parseTemporal(s, kindDateTime); ok {
				this = "datetime"
				if len(s) > 20 {
					this += "(" + strconv.Itoa(len(s)-20) + ")"
				}
			}
		}
		if this == "" || shape != "" && this != shape {
			return ""
		}
		shape = this
	}
	return shape
}
