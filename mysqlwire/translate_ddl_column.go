package mysqlwire

import (
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"
)

// columnDef writes one column definition. The integer primary key becomes
// INTEGER PRIMARY KEY (SQLite's rowid; the engine mints its ids) with the
// MySQL type in a comment. NOT NULL columns without a default get MySQL's
// implicit default (what non-strict MySQL, as WordPress runs it, stores when
// an INSERT leaves the column out), marked /*implicit*/ so DESCRIBE shows
// no default. String columns compare without case (COLLATE NOCASE) unless
// their collation is binary.
func (r *renderer) columnDef(t *tableDef, c *sqlparser.ColumnDefinition, adding bool) {
	o := c.Type.Options
	switch {
	case o.OnUpdate != nil:
		r.fail(errNotSupported("ON UPDATE CURRENT_TIMESTAMP (set the column in your UPDATE statements)"))
	case o.Invisible != nil && *o.Invisible:
		r.fail(errNotSupported("invisible columns"))
	case o.SRID != nil:
		r.fail(errNotSupported("SRID"))
	}
	ct, ok := r.columnType(c.Type, t.binary)
	if !ok {
		return
	}
	r.ident(c.Name.String())
	if strings.EqualFold(c.Name.String(), t.rowidPK) {
		r.w(" INTEGER /*" + ct.display + "*/ PRIMARY KEY")
		return
	}
	r.wb(' ')
	r.w(ct.decl())
	notNull := (o.Null != nil && !*o.Null) || isPK(t, c.Name.String())
	if notNull {
		r.w(" NOT NULL")
	}
	switch {
	case o.As != nil:
		r.generated(c, adding)
	case o.Default != nil:
		r.columnDefault(o.Default, adding)
	case notNull && ct.implicit != "" && !isPK(t, c.Name.String()):
		r.w(" DEFAULT (" + ct.implicit + " /*implicit*/)")
	}
	if ct.str && !ct.binColl {
		r.w(" COLLATE NOCASE")
	}
	if o.Reference != nil {
		r.reference(o.Reference)
	}
}

func isPK(t *tableDef, col string) bool {
	for _, c := range t.pk {
		if strings.EqualFold(c, col) {
			return true
		}
	}
	return false
}

// generated writes GENERATED ALWAYS AS (expr) VIRTUAL|STORED.
func (r *renderer) generated(c *sqlparser.ColumnDefinition, adding bool) {
	stored := c.Type.Options.Storage == sqlparser.StoredStorage
	if adding && stored {
		r.fail(errNotSupported("adding a STORED generated column"))
	}
	r.w(" GENERATED ALWAYS AS (")
	r.expr(c.Type.Options.As)
	r.w(map[bool]string{true: ") STORED", false: ") VIRTUAL"}[stored])
}

// columnDefault writes DEFAULT: constants as they are, CURRENT_TIMESTAMP
// as SQLite's (UTC, like Warren's NOW()), expressions in parentheses.
func (r *renderer) columnDefault(e sqlparser.Expr, adding bool) {
	r.w(" DEFAULT ")
	if cur, ok := e.(*sqlparser.CurTimeFuncExpr); ok {
		if adding {
			r.fail(errNotSupported("ADD COLUMN with a DEFAULT that is not a constant"))
		}
		switch name := cur.Name.Lowered(); {
		case cur.Fsp > 0:
			r.wb('(')
			r.curTime(name, cur.Fsp)
			r.wb(')')
		case name == "current_date" || name == "curdate":
			r.w("CURRENT_DATE")
		case name == "current_time" || name == "curtime":
			r.w("CURRENT_TIME")
		default:
			r.w("CURRENT_TIMESTAMP")
		}
		return
	}
	if _, ok := constValue(e); ok {
		r.expr(e)
		return
	}
	if l, ok := e.(*sqlparser.Literal); ok {
		r.literal(l)
		return
	}
	if adding {
		r.fail(errNotSupported("ADD COLUMN with a DEFAULT that is not a constant"))
	}
	r.wb('(')
	r.expr(e)
	r.wb(')')
}
