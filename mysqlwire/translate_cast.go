package mysqlwire

import (
	"math/big"
	"strconv"
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"
)

// cast writes CAST(x AS type) and CONVERT(x, type).
func (r *renderer) cast(x sqlparser.Expr, t *sqlparser.ConvertType, array bool) {
	if array {
		r.fail(errNotSupported("CAST ... ARRAY"))
		return
	}
	typ := strings.ToUpper(t.Type)
	switch {
	case strings.HasPrefix(typ, "SIGNED"), strings.HasPrefix(typ, "UNSIGNED"), typ == "INTEGER", typ == "YEAR":
		r.tpl("CAST($1 AS INTEGER)", x)
	case typ == "CHAR" || typ == "NCHAR" || typ == "VARCHAR":
		r.castChar(x, t)
	case typ == "BINARY":
		r.castBinary(x, t)
	case typ == "DATE":
		r.tpl("date($1)", r.dateArg(x))
	case typ == "DATETIME":
		r.tpl("datetime($1)", r.dateArg(x))
	case typ == "TIME":
		r.tpl("time($1)", r.dateArg(x))
	case typ == "DECIMAL":
		r.castDecimal(x, t)
	case typ == "DOUBLE" || typ == "FLOAT" || typ == "REAL":
		r.tpl("CAST($1 AS REAL)", x)
	case typ == "JSON":
		r.expr(x)
	default:
		r.fail(errNotSupportedf("CAST to %s", t.Type))
	}
}

func (r *renderer) castChar(x sqlparser.Expr, t *sqlparser.ConvertType) {
	if t.Charset.Binary || (t.Charset.Name != "" && !charsets[strings.ToLower(t.Charset.Name)]) {
		r.fail(errNotSupportedf("CAST to CHAR CHARACTER SET %s", t.Charset.Name))
		return
	}
	if t.Length != nil {
		r.tpl("substr(CAST($1 AS TEXT), 1, "+strconv.Itoa(*t.Length)+")", x)
		return
	}
	r.tpl("CAST($1 AS TEXT)", x)
}

// castBinary writes BINARY x and CAST(x AS BINARY): a binary string compares
// byte by byte, which SQLite's BINARY collation does while the value stays
// text (a blob would never equal a text value).
func (r *renderer) castBinary(x sqlparser.Expr, t *sqlparser.ConvertType) {
	if t.Length != nil {
		r.tpl("substr(CAST($1 AS BLOB), 1, "+strconv.Itoa(*t.Length)+")", x)
		return
	}
	r.tpl("($1 COLLATE BINARY)", x)
}

// castDecimal writes CAST(x AS DECIMAL(p, s)): rounded to s decimals (0 when
// not given, as MySQL's default DECIMAL(10, 0)).
func (r *renderer) castDecimal(x sqlparser.Expr, t *sqlparser.ConvertType) {
	if t.Scale == nil || *t.Scale == 0 {
		r.tpl("CAST(round(CAST($1 AS REAL)) AS INTEGER)", x)
		return
	}
	r.tpl("round(CAST($1 AS REAL), "+strconv.Itoa(*t.Scale)+")", x)
}

// literal writes a MySQL literal.
func (r *renderer) literal(l *sqlparser.Literal) {
	switch l.Type {
	case sqlparser.StrVal, sqlparser.DateVal, sqlparser.TimeVal, sqlparser.TimestampVal:
		writeString(r.b, l.Val)
	case sqlparser.IntVal, sqlparser.FloatVal, sqlparser.DecimalVal:
		r.w(l.Val)
	case sqlparser.HexNum: // 0x41
		r.hexBlob(strings.TrimPrefix(strings.TrimPrefix(l.Val, "0x"), "0X"))
	case sqlparser.HexVal: // x'41'
		r.hexBlob(l.Val)
	case sqlparser.BitNum: // 0b101, b'101'
		r.bits(strings.TrimPrefix(strings.TrimPrefix(l.Val, "0b"), "0B"))
	default:
		r.fail(errNotSupportedf("literal %s", describe(l)))
	}
}

func (r *renderer) hexBlob(h string) {
	if len(h)%2 == 1 {
		h = "0" + h
	}
	r.w("x'" + h + "'")
}

// bits writes a bit literal as the integer it is.
func (r *renderer) bits(b string) {
	n, ok := new(big.Int).SetString(b, 2)
	if !ok || n.BitLen() > 63 {
		r.fail(errNotSupported("bit literals wider than 63 bits"))
		return
	}
	r.w(n.String())
}
