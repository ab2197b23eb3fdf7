package mysqlwire

import (
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"
)

// sqlText is SQLite text ready to splice into a tpl.
type sqlText string

// tpl writes format with $1..$9 replaced by its arguments: an Expr is
// rendered (parenthesized when it is an operator expression), an sqlText is
// copied. An argument may appear more than once.
func (r *renderer) tpl(format string, args ...any) {
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '$' || i+1 == len(format) || format[i+1] < '1' || format[i+1] > '9' {
			r.wb(c)
			continue
		}
		i++
		switch a := args[format[i]-'1'].(type) {
		case sqlparser.Expr:
			r.operand(a)
		case sqlText:
			r.w(string(a))
		}
	}
}

// text renders e into a string, for splicing into a tpl more than once.
func (r *renderer) text(e sqlparser.Expr) sqlText {
	return sqlText(r.capture(func() { r.operand(e) }))
}

// funcImpl writes a call of a MySQL function with args. Names are lower case.
type funcImpl func(r *renderer, name string, args []sqlparser.Expr)

// funcs maps MySQL functions to their SQLite forms; it is filled by init
// functions in the translate_func_*.go files.
var funcs = map[string]funcImpl{}

// register adds implementations under one or more names.
func register(impl funcImpl, names ...string) {
	for _, n := range names {
		funcs[n] = impl
	}
}

// funcExpr writes a function call.
func (r *renderer) funcExpr(f *sqlparser.FuncExpr) {
	name := f.Name.Lowered()
	if !f.Qualifier.IsEmpty() {
		r.fail(errNotSupportedf("stored function %s.%s", f.Qualifier.String(), f.Name.String()))
		return
	}
	impl, ok := funcs[name]
	if !ok {
		r.fail(errNotSupportedf("function %s", strings.ToUpper(name)))
		return
	}
	impl(r, name, f.Exprs)
}

// arity checks the number of arguments.
func (r *renderer) arity(name string, args []sqlparser.Expr, lo, hi int) bool {
	if len(args) < lo || (hi >= 0 && len(args) > hi) {
		r.fail(errParamCount(strings.ToUpper(name)))
		return false
	}
	return true
}

// same returns an implementation calling SQLite function sqlName with the
// same arguments, checking that there are lo..hi of them (hi -1: any).
func same(sqlName string, lo, hi int) funcImpl {
	return func(r *renderer, name string, args []sqlparser.Expr) {
		if !r.arity(name, args, lo, hi) {
			return
		}
		r.w(sqlName)
		r.wb('(')
		r.list(args)
		r.wb(')')
	}
}

// fixed returns an implementation writing SQLite text tpl for exactly n
// arguments ($1..$n).
func fixed(n int, format string) funcImpl {
	return func(r *renderer, name string, args []sqlparser.Expr) {
		if !r.arity(name, args, n, n) {
			return
		}
		as := make([]any, n)
		for i, a := range args {
			as[i] = a
		}
		r.tpl(format, as...)
	}
}

// unsupported returns an implementation that refuses the function.
func unsupported(why string) funcImpl {
	return func(r *renderer, name string, _ []sqlparser.Expr) {
		what := "function " + strings.ToUpper(name)
		if why != "" {
			what += " (" + why + ")"
		}
		r.fail(errNotSupported(what))
	}
}

// callable writes the function-like nodes the parser gives their own types.
func (r *renderer) callable(e sqlparser.Expr) {
	switch x := e.(type) {
	case *sqlparser.FuncExpr:
		r.funcExpr(x)
	case *sqlparser.CurTimeFuncExpr:
		r.curTime(x.Name.Lowered(), x.Fsp)
	case *sqlparser.IntervalDateExpr:
		r.intervalDate(x)
	case *sqlparser.TimestampDiffExpr:
		r.timestampDiff(x)
	case *sqlparser.ExtractFuncExpr:
		r.extract(x)
	case *sqlparser.CastExpr:
		r.cast(x.Expr, x.Type, x.Array)
	case *sqlparser.ConvertExpr:
		r.cast(x.Expr, x.Type, false)
	case *sqlparser.ConvertUsingExpr:
		r.convertUsing(x)
	default:
		r.callable2(e)
	}
}

func (r *renderer) callable2(e sqlparser.Expr) {
	switch x := e.(type) {
	case *sqlparser.SubstrExpr:
		r.substr(x.Name, x.From, x.To)
	case *sqlparser.LocateExpr:
		r.locate(x.SubStr, x.Str, x.Pos)
	case *sqlparser.TrimFuncExpr:
		r.trim(x)
	case *sqlparser.InsertExpr:
		r.insertFunc(x)
	case *sqlparser.CharExpr:
		r.charFunc(x)
	case *sqlparser.RegexpLikeExpr:
		if x.MatchType != nil {
			r.fail(errNotSupported("REGEXP_LIKE match type"))
			return
		}
		r.regexp(x.Expr, x.Pattern, false)
	case *sqlparser.MatchExpr:
		r.fail(errNotSupported("MATCH ... AGAINST (FULLTEXT search)"))
	default:
		if !r.aggregate(e) && !r.window(e) && !r.jsonExpr(e) {
			r.fail(errNotSupportedf("%s", describe(e)))
		}
	}
}
