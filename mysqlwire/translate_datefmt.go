package mysqlwire

import (
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"
)

// strftimeSpecs are the DATE_FORMAT specifiers strftime writes the same way.
var strftimeSpecs = map[byte]string{
	'd': "%d", 'H': "%H", 'i': "%M", 'j': "%j", 'm': "%m", 'S': "%S", 's': "%S",
	'T': "%H:%M:%S", 'w': "%w", 'Y': "%Y",
}

// exprSpecs are the DATE_FORMAT specifiers that need an expression ($1 is
// the date).
var exprSpecs = map[byte]string{
	'a': "substr(" + dayNameSQL + ", 1, 3)",
	'b': "substr(" + monthNameSQL + ", 1, 3)",
	'c': "CAST(strftime('%m', $1) AS INTEGER)",
	'D': "(CAST(strftime('%d', $1) AS INTEGER) || CASE WHEN CAST(strftime('%d', $1) AS INTEGER) IN (11, 12, 13) THEN 'th' " +
		"WHEN CAST(strftime('%d', $1) AS INTEGER) % 10 = 1 THEN 'st' WHEN CAST(strftime('%d', $1) AS INTEGER) % 10 = 2 THEN 'nd' " +
		"WHEN CAST(strftime('%d', $1) AS INTEGER) % 10 = 3 THEN 'rd' ELSE 'th' END)",
	'e': "CAST(strftime('%d', $1) AS INTEGER)",
	'f': "(substr(strftime('%f', $1), 4) || '000')",
	'h': "printf('%02d', (CAST(strftime('%H', $1) AS INTEGER) + 11) % 12 + 1)",
	'I': "printf('%02d', (CAST(strftime('%H', $1) AS INTEGER) + 11) % 12 + 1)",
	'k': "CAST(strftime('%H', $1) AS INTEGER)",
	'l': "((CAST(strftime('%H', $1) AS INTEGER) + 11) % 12 + 1)",
	'M': monthNameSQL,
	'p': "CASE WHEN CAST(strftime('%H', $1) AS INTEGER) < 12 THEN 'AM' ELSE 'PM' END",
	'r': "(printf('%02d', (CAST(strftime('%H', $1) AS INTEGER) + 11) % 12 + 1) || strftime(':%M:%S ', $1) || " +
		"CASE WHEN CAST(strftime('%H', $1) AS INTEGER) < 12 THEN 'AM' ELSE 'PM' END)",
	'U': "printf('%02d', " + weekSQL + ")",
	'W': dayNameSQL,
	'y': "substr(strftime('%Y', $1), 3)",
}

// dateFormat writes DATE_FORMAT(d, format) for a literal format: runs of
// specifiers strftime knows become one strftime call, the others
// expressions, joined with ||.
func (r *renderer) dateFormat(d sqlText, format sqlparser.Expr) {
	lit, ok := format.(*sqlparser.Literal)
	if !ok || lit.Type != sqlparser.StrVal {
		r.fail(errNotSupported("DATE_FORMAT with a computed format"))
		return
	}
	var parts []string
	var run strings.Builder
	dated, spec := false, false // some part depends on the date; the run has a specifier
	flush := func() {
		switch {
		case run.Len() == 0:
		case spec:
			parts = append(parts, r.capture(func() { r.tpl("strftime($1, $2)", sqlText(sqlString(run.String())), d) }))
			dated = true
		default:
			parts = append(parts, sqlString(strings.ReplaceAll(run.String(), "%%", "%")))
		}
		run.Reset()
		spec = false
	}
	f := lit.Val
	for i := 0; i < len(f); i++ {
		if f[i] != '%' || i+1 == len(f) {
			run.WriteString(strings.ReplaceAll(f[i:i+1], "%", "%%"))
			continue
		}
		i++
		c := f[i]
		if s, ok := strftimeSpecs[c]; ok {
			run.WriteString(s)
			spec = true
			continue
		}
		if e, ok := exprSpecs[c]; ok {
			flush()
			parts = append(parts, r.capture(func() { r.tpl(e, d) }))
			dated = true
			continue
		}
		if strings.IndexByte("uVvXx", c) >= 0 {
			r.fail(errNotSupportedf("DATE_FORMAT specifier %%%c", c))
			return
		}
		run.WriteString(strings.ReplaceAll(f[i:i+1], "%", "%%")) // %% and %x: the character itself
	}
	flush()
	r.joinParts(parts, d, dated)
}

// joinParts writes the pieces of a formatted date; a format without
// specifiers still gives NULL for a NULL date.
func (r *renderer) joinParts(parts []string, d sqlText, dated bool) {
	text := "''"
	switch len(parts) {
	case 0:
	case 1:
		text = parts[0]
	default:
		text = "(" + strings.Join(parts, " || ") + ")"
	}
	if dated {
		r.w(text)
		return
	}
	r.tpl("CASE WHEN $1 IS NULL THEN NULL ELSE $2 END", d, sqlText(text))
}
