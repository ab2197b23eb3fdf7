package mysqlwire

import (
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"
)

func init() {
	register(concat, "concat")
	register(same("concat_ws", 2, -1), "concat_ws")
	register(same("lower", 1, 1), "lower", "lcase")
	register(same("upper", 1, 1), "upper", "ucase")
	register(same("octet_length", 1, 1), "length", "octet_length")
	register(same("length", 1, 1), "char_length", "character_length")
	register(fixed(1, "(octet_length($1) * 8)"), "bit_length")
	register(same("replace", 3, 3), "replace")
	register(same("instr", 2, 2), "instr")
	register(same("soundex", 1, 1), "soundex")
	register(fixed(1, "trim($1, ' ')"), "trim")
	register(fixed(1, "ltrim($1, ' ')"), "ltrim")
	register(fixed(1, "rtrim($1, ' ')"), "rtrim")
	register(fixed(2, "substr($1, 1, $2)"), "left")
	register(fixed(2, "substr($1, max(length($1) - $2 + 1, 1))"), "right")
	register(fixed(2, "replace(hex(zeroblob($2)), '00', $1)"), "repeat")
	register(fixed(1, "replace(hex(zeroblob($1)), '00', ' ')"), "space")
	register(fixed(3, "CASE WHEN length($1) >= $2 THEN substr($1, 1, $2) "+
		"ELSE substr(replace(hex(zeroblob($2)), '00', $3), 1, $2 - length($1)) || $1 END"), "lpad")
	register(fixed(3, "CASE WHEN length($1) >= $2 THEN substr($1, 1, $2) "+
		"ELSE $1 || substr(replace(hex(zeroblob($2)), '00', $3), 1, $2 - length($1)) END"), "rpad")
	register(fixed(1, "CASE WHEN $1 IS NULL THEN NULL WHEN $1 = '' THEN 0 ELSE unicode($1) END"), "ascii", "ord")
	register(fixed(1, "CASE typeof($1) WHEN 'integer' THEN printf('%X', $1) "+
		"WHEN 'real' THEN printf('%X', CAST(round($1) AS INTEGER)) ELSE hex($1) END"), "hex")
	register(same("unhex", 1, 1), "unhex")
	register(fixed(2, "CASE WHEN $1 IS NULL OR $2 IS NULL THEN NULL WHEN $1 = $2 THEN 0 WHEN $1 < $2 THEN -1 ELSE 1 END"), "strcmp")
	register(fixed(1, "CASE WHEN $1 IS NULL THEN 'NULL' ELSE '''' || replace(replace($1, '\\', '\\\\'), '''', '\\''') || '''' END"), "quote")
	register(findInSet, "find_in_set")
	register(field, "field")
	register(elt, "elt")
	register(substringIndex, "substring_index")
	register(func(r *renderer, name string, args []sqlparser.Expr) {
		if r.arity(name, args, 2, 3) {
			r.substr(args[0], args[1], optional(args, 2))
		}
	}, "mid", "substring", "substr")
	register(func(r *renderer, name string, args []sqlparser.Expr) {
		if r.arity(name, args, 2, 3) {
			r.locate(args[0], args[1], optional(args, 2))
		}
	}, "locate", "position")
	register(fixed(1, "$1"), "binary")
	register(fixed(1, "'utf8mb4'"), "charset")
	register(fixed(1, "'utf8mb4_unicode_ci'"), "collation")
	register(unsupported("no REVERSE in SQLite"), "reverse")
	register(unsupported(""), "export_set", "make_set", "conv", "bin", "oct", "load_file", "weight_string", "soundslike", "to_base64", "from_base64", "regexp_instr", "regexp_substr", "regexp_replace")
}

// optional returns args[i], or nil when there are fewer arguments.
func optional(args []sqlparser.Expr, i int) sqlparser.Expr {
	if i < len(args) {
		return args[i]
	}
	return nil
}

// concat writes CONCAT: SQLite's || is NULL when any operand is, as MySQL's
// CONCAT is.
func concat(r *renderer, name string, args []sqlparser.Expr) {
	if !r.arity(name, args, 1, -1) {
		return
	}
	r.wb('(')
	for i, a := range args {
		if i > 0 {
			r.w(" || ")
		}
		r.operand(a)
	}
	if len(args) == 1 {
		r.w(" || ''")
	}
	r.wb(')')
}

// findInSet writes FIND_IN_SET(needle, list): the 1-based position of needle
// in the comma-separated list, 0 when absent, compared without case.
func findInSet(r *renderer, name string, args []sqlparser.Expr) {
	if !r.arity(name, args, 2, 2) {
		return
	}
	n, l := r.text(args[0]), r.text(args[1])
	at := sqlText(r.capture(func() { r.tpl("instr(',' || lower($2) || ',', ',' || lower($1) || ',')", n, l) }))
	r.tpl("CASE WHEN $1 IS NULL OR $2 IS NULL THEN NULL WHEN $3 = 0 THEN 0 "+
		"ELSE length(substr($2, 1, $3 - 1)) - length(replace(substr($2, 1, $3 - 1), ',', '')) + 1 END", n, l, at)
}

// field writes FIELD(x, a, b, ...): the position of x among the others.
func field(r *renderer, name string, args []sqlparser.Expr) {
	if !r.arity(name, args, 2, -1) {
		return
	}
	r.w("CASE ")
	r.operand(args[0])
	for i, a := range args[1:] {
		r.w(" WHEN ")
		r.operand(a)
		r.w(" THEN ")
		r.w(itoa(i + 1))
	}
	r.w(" ELSE 0 END")
}

// elt writes ELT(n, a, b, ...): the n-th of the others.
func elt(r *renderer, name string, args []sqlparser.Expr) {
	if !r.arity(name, args, 2, -1) {
		return
	}
	r.w("CASE ")
	r.operand(args[0])
	for i, a := range args[1:] {
		r.w(" WHEN ")
		r.w(itoa(i + 1))
		r.w(" THEN ")
		r.operand(a)
	}
	r.w(" END")
}

// substringIndex writes SUBSTRING_INDEX(s, delim, n) for n = 1 and, with a
// one-character delimiter, n = -1.
func substringIndex(r *renderer, name string, args []sqlparser.Expr) {
	if !r.arity(name, args, 3, 3) {
		return
	}
	switch intLiteral(args[2]) {
	case "1":
		r.tpl("CASE WHEN instr($1, $2) > 0 THEN substr($1, 1, instr($1, $2) - 1) ELSE $1 END", args[0], args[1])
		return
	case "-1":
		if d, ok := args[1].(*sqlparser.Literal); ok && d.Type == sqlparser.StrVal && len([]rune(d.Val)) == 1 {
			r.tpl("substr($1, length(rtrim($1, replace($1, $2, ''))) + 1)", args[0], args[1])
			return
		}
	}
	r.fail(errNotSupported("SUBSTRING_INDEX with a count other than 1 or -1 (-1 needs a one-character delimiter)"))
}

// substr writes SUBSTRING(s, pos[, len]). MySQL returns ” for position 0
// and for a negative length, where SQLite counts differently.
func (r *renderer) substr(s, pos, n sqlparser.Expr) {
	if n == nil {
		r.tpl("CASE WHEN $2 = 0 THEN '' ELSE substr($1, $2) END", s, pos)
		return
	}
	r.tpl("CASE WHEN $2 = 0 OR $3 < 0 THEN '' ELSE substr($1, $2, $3) END", s, pos, n)
}

// locate writes LOCATE(sub, s[, pos]): the position of sub in s from pos.
func (r *renderer) locate(sub, s, pos sqlparser.Expr) {
	if pos == nil {
		r.tpl("instr($1, $2)", s, sub)
		return
	}
	r.tpl("CASE WHEN $3 < 1 THEN 0 WHEN instr(substr($1, $3), $2) > 0 THEN instr(substr($1, $3), $2) + $3 - 1 ELSE 0 END", s, sub, pos)
}

// trim writes TRIM, LTRIM and RTRIM. MySQL removes a string, SQLite a set
// of characters: they agree for one character.
func (r *renderer) trim(t *sqlparser.TrimFuncExpr) {
	fn := map[sqlparser.TrimFuncType]string{sqlparser.NormalTrimType: "trim", sqlparser.LTrimType: "ltrim", sqlparser.RTrimType: "rtrim"}[t.TrimFuncType]
	switch t.Type {
	case sqlparser.LeadingTrimType:
		fn = "ltrim"
	case sqlparser.TrailingTrimType:
		fn = "rtrim"
	}
	if t.TrimArg == nil {
		r.tpl(fn+"($1, ' ')", t.StringArg)
		return
	}
	if l, ok := t.TrimArg.(*sqlparser.Literal); !ok || l.Type != sqlparser.StrVal || len([]rune(l.Val)) != 1 {
		r.fail(errNotSupported("TRIM of a string longer than one character"))
		return
	}
	r.tpl(fn+"($1, $2)", t.StringArg, t.TrimArg)
}

// insertFunc writes INSERT(s, pos, len, new).
func (r *renderer) insertFunc(x *sqlparser.InsertExpr) {
	r.tpl("CASE WHEN $2 < 1 OR $2 > length($1) THEN $1 ELSE substr($1, 1, $2 - 1) || $4 || substr($1, $2 + $3) END",
		x.Str, x.Pos, x.Len, x.NewStr)
}

func (r *renderer) charFunc(x *sqlparser.CharExpr) {
	r.w("char(")
	r.list(x.Exprs)
	r.wb(')')
}

// convertUsing writes CONVERT(x USING cs): Warren stores UTF-8 only.
func (r *renderer) convertUsing(x *sqlparser.ConvertUsingExpr) {
	if _, ok := charsets[strings.ToLower(x.Type)]; !ok {
		r.fail(errNotSupportedf("CONVERT ... USING %s: Warren stores UTF-8", x.Type))
		return
	}
	r.expr(x.Expr)
}

// regexp writes REGEXP with MySQL's case-insensitive matching: the subject
// is lowered, and so is a literal pattern outside backslash escapes.
func (r *renderer) regexp(subject, pattern sqlparser.Expr, not bool) {
	if not {
		r.w("NOT ")
	}
	r.w("(lower(")
	r.expr(subject)
	r.w(") REGEXP ")
	if l, ok := pattern.(*sqlparser.Literal); ok && l.Type == sqlparser.StrVal {
		writeString(r.b, lowerPattern(l.Val))
	} else {
		r.w("lower(")
		r.expr(pattern)
		r.wb(')')
	}
	r.wb(')')
}

// lowerPattern lowers a regular expression except escaped characters (\D
// must stay \D).
func lowerPattern(p string) string {
	var b strings.Builder
	escaped := false
	for _, c := range p {
		switch {
		case escaped:
			escaped = false
		case c == '\\':
			escaped = true
		default:
			c = []rune(strings.ToLower(string(c)))[0]
		}
		b.WriteRune(c)
	}
	return b.String()
}

// intLiteral returns the text of an integer literal (with its sign), or "".
func intLiteral(e sqlparser.Expr) string {
	switch x := e.(type) {
	case *sqlparser.Literal:
		if x.Type == sqlparser.IntVal {
			return x.Val
		}
	case *sqlparser.UnaryExpr:
		if x.Operator == sqlparser.UMinusOp {
			if s := intLiteral(x.Expr); s != "" && s[0] != '-' {
				return "-" + s
			}
		}
	}
	return ""
}
