package mysqlwire

import "vitess.io/vitess/go/vt/sqlparser"

func init() {
	register(same("json_valid", 1, 1), "json_valid")
}

// jsonExpr writes the JSON functions SQLite shares with MySQL; it reports
// false for other nodes. MySQL's -> and JSON_EXTRACT return JSON text, as
// SQLite's -> does; ->> and JSON_UNQUOTE(JSON_EXTRACT()) return SQL values.
func (r *renderer) jsonExpr(e sqlparser.Expr) bool {
	switch x := e.(type) {
	case *sqlparser.JSONExtractExpr:
		if len(x.PathList) != 1 {
			r.fail(errNotSupported("JSON_EXTRACT with several paths"))
			return true
		}
		r.tpl("($1 -> $2)", x.JSONDoc, x.PathList[0])
	case *sqlparser.JSONUnquoteExpr:
		if ex, ok := x.JSONValue.(*sqlparser.JSONExtractExpr); ok && len(ex.PathList) == 1 {
			r.tpl("($1 ->> $2)", ex.JSONDoc, ex.PathList[0])
			return true
		}
		r.tpl("CASE WHEN json_valid($1) THEN json_extract($1, '$') ELSE $1 END", x.JSONValue)
	case *sqlparser.JSONObjectExpr:
		r.w("json_object(")
		for i, p := range x.Params {
			if i > 0 {
				r.w(", ")
			}
			r.tpl("$1, $2", p.Key, p.Value)
		}
		r.wb(')')
	case *sqlparser.JSONArrayExpr:
		r.w("json_array(")
		r.list(x.Params)
		r.wb(')')
	case *sqlparser.JSONQuoteExpr:
		r.tpl("json_quote($1)", x.StringArg)
	default:
		return false
	}
	return true
}
