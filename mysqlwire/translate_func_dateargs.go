package mysqlwire

import (
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"
)

// dateArg renders a date argument. MySQL reads '20240101', 20240101 and
// '2024-1-5 9:05:00' as dates; SQLite's date functions want
// 'YYYY-MM-DD HH:MM:SS', so such literals are rewritten.
func (r *renderer) dateArg(e sqlparser.Expr) sqlText {
	if l, ok := e.(*sqlparser.Literal); ok && (l.Type == sqlparser.StrVal || l.Type == sqlparser.IntVal) {
		if d, ok := normalizeDate(l.Val); ok {
			return sqlText(sqlString(d))
		}
	}
	return r.text(e)
}

// dated returns an implementation writing format for exactly n date
// arguments.
func dated(n int, format string) funcImpl {
	return func(r *renderer, name string, args []sqlparser.Expr) {
		if !r.arity(name, args, n, n) {
			return
		}
		as := make([]any, n)
		for i, a := range args {
			as[i] = r.dateArg(a)
		}
		r.tpl(format, as...)
	}
}

// normalizeDate rewrites compact (YYYYMMDD[HHMMSS]) and unpadded dates.
func normalizeDate(s string) (string, bool) {
	if allDigits(s) {
		switch len(s) {
		case 8:
			return s[:4] + "-" + s[4:6] + "-" + s[6:], true
		case 14:
			return s[:4] + "-" + s[4:6] + "-" + s[6:8] + " " + s[8:10] + ":" + s[10:12] + ":" + s[12:], true
		}
		return "", false
	}
	date, clock, hasClock := strings.Cut(s, " ")
	d := strings.Split(date, "-")
	if len(d) != 3 || len(d[0]) != 4 || !padParts(d) {
		return "", false
	}
	out := strings.Join(d, "-")
	if !hasClock {
		return out, out != s
	}
	frac := ""
	if i := strings.IndexByte(clock, '.'); i >= 0 {
		clock, frac = clock[:i], clock[i:]
	}
	c := strings.Split(clock, ":")
	if len(c) != 3 || !padParts(c) || (frac != "" && !allDigits(frac[1:])) {
		return "", false
	}
	out += " " + strings.Join(c, ":") + frac
	return out, out != s
}

// padParts zero-pads one- and two-digit parts to two digits in place.
func padParts(parts []string) bool {
	for i, p := range parts {
		if !allDigits(p) || p == "" || (i > 0 && len(p) > 2) {
			return false
		}
		if len(p) == 1 {
			parts[i] = "0" + p
		}
	}
	return true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
