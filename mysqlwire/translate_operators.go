package mysqlwire

import (
	"fmt"
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"
)

// comparison writes =, <, IN, LIKE, REGEXP and friends.
func (r *renderer) comparison(c *sqlparser.ComparisonExpr) {
	if c.Modifier != sqlparser.Missing {
		r.fail(errNotSupported("ANY/ALL subquery comparisons"))
		return
	}
	r.noteSchemaHint(c)
	switch c.Operator {
	case sqlparser.LikeOp, sqlparser.NotLikeOp:
		r.like(c)
	case sqlparser.RegexpOp, sqlparser.NotRegexpOp:
		r.regexp(c.Left, c.Right, c.Operator == sqlparser.NotRegexpOp)
	case sqlparser.InOp, sqlparser.NotInOp:
		r.in(c)
	default:
		r.operand(c.Left)
		r.w(comparisonOps[c.Operator])
		r.operand(c.Right)
	}
}

var comparisonOps = map[sqlparser.ComparisonExprOperator]string{
	sqlparser.EqualOp: " = ", sqlparser.LessThanOp: " < ", sqlparser.GreaterThanOp: " > ",
	sqlparser.LessEqualOp: " <= ", sqlparser.GreaterEqualOp: " >= ", sqlparser.NotEqualOp: " <> ",
	sqlparser.NullSafeEqualOp: " IS ",
}

// noteSchemaHint remembers TABLE_SCHEMA = 'db', which decides the database
// an information_schema query describes.
func (r *renderer) noteSchemaHint(c *sqlparser.ComparisonExpr) {
	if c.Operator != sqlparser.EqualOp {
		return
	}
	col, ok := c.Left.(*sqlparser.ColName)
	lit, ok2 := c.Right.(*sqlparser.Literal)
	if !ok || !ok2 || lit.Type != sqlparser.StrVal {
		return
	}
	switch col.Name.Lowered() {
	case "table_schema", "schema_name", "index_schema":
		r.schemaHint = lit.Val
	}
}

// like writes LIKE with MySQL's default escape character, the backslash.
func (r *renderer) like(c *sqlparser.ComparisonExpr) {
	r.operand(c.Left)
	if c.Operator == sqlparser.NotLikeOp {
		r.w(" NOT")
	}
	r.w(" LIKE ")
	r.operand(c.Right)
	r.w(" ESCAPE ")
	if c.Escape == nil {
		r.w(`'\'`)
		return
	}
	r.operand(c.Escape)
}

// in writes IN and NOT IN. A list of row values becomes IN (VALUES ...).
func (r *renderer) in(c *sqlparser.ComparisonExpr) {
	r.operand(c.Left)
	r.w(map[bool]string{true: " IN ", false: " NOT IN "}[c.Operator == sqlparser.InOp])
	switch right := c.Right.(type) {
	case sqlparser.ValTuple:
		if _, rows := c.Left.(sqlparser.ValTuple); rows {
			r.w("(VALUES ")
			r.list(right)
			r.wb(')')
			return
		}
		r.tuple(right)
	case *sqlparser.Subquery:
		r.subquery(right.Select)
	default:
		r.fail(errParse(fmt.Sprintf("near '%s'", sqlparser.String(right))))
	}
}

// binary writes arithmetic and bit operators with MySQL's meaning.
func (r *renderer) binary(x *sqlparser.BinaryExpr) {
	switch x.Operator {
	case sqlparser.DivOp: // MySQL's / never divides integers
		r.w("CAST(")
		r.operand(x.Left)
		r.w(" AS REAL) / ")
		r.operand(x.Right)
	case sqlparser.IntDivOp:
		r.w("CAST(")
		r.operand(x.Left)
		r.w(" / ")
		r.operand(x.Right)
		r.w(" AS INTEGER)")
	case sqlparser.ModOp: // SQLite's % truncates real operands to integers first
		r.tpl("($1 - $2 * CAST($1 / $2 AS INTEGER))", x.Left, x.Right)
	case sqlparser.BitXorOp:
		r.w("((")
		r.operand(x.Left)
		r.w(" | ")
		r.operand(x.Right)
		r.w(") - (")
		r.operand(x.Left)
		r.w(" & ")
		r.operand(x.Right)
		r.w("))")
	default:
		r.operand(x.Left)
		r.w(binaryOps[x.Operator])
		r.operand(x.Right)
	}
}

var binaryOps = map[sqlparser.BinaryExprOperator]string{
	sqlparser.BitAndOp: " & ", sqlparser.BitOrOp: " | ", sqlparser.PlusOp: " + ",
	sqlparser.MinusOp: " - ", sqlparser.MultOp: " * ",
	sqlparser.ShiftLeftOp: " << ", sqlparser.ShiftRightOp: " >> ",
}

func (r *renderer) unary(x *sqlparser.UnaryExpr) {
	switch x.Operator {
	case sqlparser.UPlusOp:
		r.w("+")
	case sqlparser.UMinusOp:
		r.w("-")
	case sqlparser.TildaOp:
		r.w("~")
	case sqlparser.BangOp:
		r.w("NOT ")
	case sqlparser.NStringOp:
		r.expr(x.Expr)
		return
	}
	r.operand(x.Expr)
}

// introducer writes _charset 'literal': _binary makes a blob, the others
// change nothing in a UTF-8 database.
func (r *renderer) introducer(x *sqlparser.IntroducerExpr) {
	lit, ok := x.Expr.(*sqlparser.Literal)
	if strings.EqualFold(x.CharacterSet, "_binary") && ok && lit.Type == sqlparser.StrVal {
		writeBlob(r.b, []byte(lit.Val))
		return
	}
	r.expr(x.Expr)
}

// collation maps a MySQL collation to SQLite's: case-insensitive ones to
// NOCASE, binary and case-sensitive ones to BINARY.
func (r *renderer) collation(name string) string {
	n := strings.ToLower(name)
	switch {
	case n == "binary" || strings.HasSuffix(n, "_bin") || strings.HasSuffix(n, "_cs"):
		return "BINARY"
	case strings.HasSuffix(n, "_ci"):
		return "NOCASE"
	}
	r.fail(errNotSupportedf("collation %s", name))
	return "BINARY"
}
