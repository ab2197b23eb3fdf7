package mysqlwire

import (
	"strconv"

	"vitess.io/vitess/go/vt/sqlparser"
)

// Column type hints a Plan gives for result columns SQLite declares no type
// for (expressions). Besides a MySQL column type ("datetime", "date(…)"),
// a hint may be one of these, which depend on the values of the result.
const (
	// hintSum: SUM(...) is DECIMAL when its values are integers (MySQL's
	// SUM of an integer column), else typed by its values.
	hintSum = "?sum"
	// hintTemporal: MIN or MAX of a column is DATETIME (or DATE) when every
	// value is text of that form, else typed by its values.
	hintTemporal = "?temporal"
)

// columnTypeHints returns the hint of each expression of a select list, or
// nil when there is none (or a * makes positions unknown).
func columnTypeHints(se *sqlparser.SelectExprs) []string {
	if se == nil {
		return nil
	}
	hints := make([]string, len(se.Exprs))
	found := false
	for i, e := range se.Exprs {
		ae, ok := e.(*sqlparser.AliasedExpr)
		if !ok {
			return nil
		}
		hints[i] = exprTypeHint(ae.Expr)
		found = found || hints[i] != ""
	}
	if !found {
		return nil
	}
	return hints
}

// exprTypeHint is the MySQL type of e where the value alone does not show it.
func exprTypeHint(e sqlparser.Expr) string {
	switch x := e.(type) {
	case *sqlparser.CurTimeFuncExpr:
		return temporalFuncType(x.Name.Lowered(), x.Fsp)
	case *sqlparser.FuncExpr:
		if len(x.Exprs) == 0 {
			return temporalFuncType(x.Name.Lowered(), 0)
		}
		switch x.Name.Lowered() {
		case "from_unixtime":
			if len(x.Exprs) == 1 {
				return "datetime"
			}
		case "date":
			return "date"
		}
	case *sqlparser.Sum:
		return hintSum
	case *sqlparser.Max:
		return columnArgHint(x.Arg)
	case *sqlparser.Min:
		return columnArgHint(x.Arg)
	}
	return ""
}

// temporalFuncType is the type of NOW(), CURDATE(), CURTIME() and their synonyms.
func temporalFuncType(name string, fsp int) string {
	frac := ""
	if fsp > 0 {
		frac = "(" + strconv.Itoa(min(fsp, 6)) + ")"
	}
	switch name {
	case "now", "sysdate", "current_timestamp", "localtime", "localtimestamp", "utc_timestamp":
		return "datetime" + frac
	case "curdate", "current_date", "utc_date":
		return "date"
	case "curtime", "current_time", "utc_time":
		return "time" + frac
	}
	return ""
}

func columnArgHint(e sqlparser.Expr) string {
	if _, ok := e.(*sqlparser.ColName); ok {
		return hintTemporal
	}
	return ""
}
