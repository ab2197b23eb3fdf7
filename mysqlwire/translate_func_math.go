package mysqlwire

import (
	"strconv"

	"vitess.io/vitess/go/vt/sqlparser"
)

func init() {
	for _, n := range []string{"abs", "acos", "asin", "ceil", "ceiling", "cos", "degrees", "exp", "floor",
		"ln", "log10", "radians", "sign", "sin", "sqrt", "tan"} {
		register(same(n, 1, 1), n)
	}
	register(same("pi", 0, 0), "pi")
	register(same("atan2", 2, 2), "atan2")
	register(same("power", 2, 2), "pow", "power")
	register(fixed(1, "(1.0 / tan($1))"), "cot")
	register(fixed(1, "(ln($1) / ln(2))"), "log2")
	register(fixed(2, "($1 - $2 * CAST($1 / $2 AS INTEGER))"), "mod")
	register(logFunc, "log")
	register(atan, "atan")
	register(round, "round")
	register(truncate, "truncate")
	register(rand, "rand")
	register(same("max", 2, -1), "greatest")
	register(same("min", 2, -1), "least")
	register(same("coalesce", 1, -1), "coalesce")
	register(same("ifnull", 2, 2), "ifnull")
	register(same("nullif", 2, 2), "nullif")
	register(fixed(3, "CASE WHEN $1 THEN $2 ELSE $3 END"), "if")
	register(fixed(1, "($1 IS NULL)"), "isnull")
	register(same("uuid", 0, 0), "uuid")
	register(format, "format")
	register(unsupported("no such function in SQLite"), "md5", "sha", "sha1", "sha2", "crc32", "aes_encrypt",
		"aes_decrypt", "compress", "uncompress", "uncompressed_length", "password", "encrypt", "random_bytes",
		"statement_digest", "statement_digest_text", "uuid_short", "uuid_to_bin", "bin_to_uuid",
		"inet_aton", "inet_ntoa", "inet6_aton", "inet6_ntoa", "is_ipv4", "is_ipv6")
	register(unsupported("locks and sleeps are not available"), "get_lock", "release_lock", "release_all_locks",
		"is_free_lock", "is_used_lock", "sleep", "benchmark", "master_pos_wait", "source_pos_wait")
}

func itoa(i int) string { return strconv.Itoa(i) }

func logFunc(r *renderer, name string, args []sqlparser.Expr) {
	if !r.arity(name, args, 1, 2) {
		return
	}
	if len(args) == 1 {
		r.tpl("ln($1)", args[0])
		return
	}
	r.tpl("(ln($2) / ln($1))", args[0], args[1])
}

func atan(r *renderer, name string, args []sqlparser.Expr) {
	if !r.arity(name, args, 1, 2) {
		return
	}
	if len(args) == 2 {
		r.tpl("atan2($1, $2)", args[0], args[1])
		return
	}
	r.tpl("atan($1)", args[0])
}

// round writes ROUND(x[, d]); SQLite's round takes no negative digits, so
// ROUND(x, -n) scales by 10^n.
func round(r *renderer, name string, args []sqlparser.Expr) {
	if !r.arity(name, args, 1, 2) {
		return
	}
	if len(args) == 1 {
		r.tpl("round($1)", args[0])
		return
	}
	if d := intLiteral(args[1]); d != "" && d[0] == '-' {
		p := sqlText("1" + zeros(d[1:]))
		r.tpl("CAST(round($1 / $2.0) * $2 AS INTEGER)", args[0], p)
		return
	}
	r.tpl("round($1, $2)", args[0], args[1])
}

// truncate writes TRUNCATE(x, d) for a literal d.
func truncate(r *renderer, name string, args []sqlparser.Expr) {
	if !r.arity(name, args, 2, 2) {
		return
	}
	d := intLiteral(args[1])
	switch {
	case d == "0":
		r.tpl("CAST($1 AS INTEGER)", args[0])
	case d != "" && d[0] != '-':
		r.tpl("(CAST($1 * $2 AS INTEGER) / $2.0)", args[0], sqlText("1"+zeros(d)))
	case d != "":
		r.tpl("(CAST($1 / $2 AS INTEGER) * $2)", args[0], sqlText("1"+zeros(d[1:])))
	default:
		r.fail(errNotSupported("TRUNCATE with a computed number of digits"))
	}
}

// zeros returns n zeros for the decimal count n (capped to keep numbers sane).
func zeros(n string) string {
	k, err := strconv.Atoi(n)
	if err != nil || k > 18 {
		k = 18
	}
	b := make([]byte, k)
	for i := range b {
		b[i] = '0'
	}
	return string(b)
}

// rand writes RAND(): a uniform float in [0, 1).
func rand(r *renderer, name string, args []sqlparser.Expr) {
	if len(args) > 0 {
		r.fail(errNotSupported("RAND with a seed"))
		return
	}
	r.w("((random() & 9007199254740991) / 9007199254740992.0)")
}

// format writes FORMAT(x, d) for a literal d: thousands separators and d
// decimals, as MySQL's en_US locale does.
func format(r *renderer, name string, args []sqlparser.Expr) {
	if !r.arity(name, args, 2, 3) {
		return
	}
	d := intLiteral(args[1])
	switch {
	case len(args) == 3:
		r.fail(errNotSupported("FORMAT with a locale"))
	case d == "0" || (d != "" && d[0] == '-'):
		r.tpl("printf('%,d', CAST(round($1) AS INTEGER))", args[0])
	case d != "":
		r.tpl("(CASE WHEN round($1, $2) < 0 THEN '-' ELSE '' END || printf('%,d', CAST(abs(round($1, $2)) AS INTEGER)) || "+
			"substr(printf('%.$2f', abs(round($1, $2))), -($2 + 1)))", args[0], sqlText(d))
	default:
		r.fail(errNotSupported("FORMAT with a computed number of decimals"))
	}
}
