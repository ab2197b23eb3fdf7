package mysqlwire

import (
	"strconv"
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/warren-db/warren/engine"
)

// setPlan translates SET. Constant values are checked now; expressions
// become a query the server evaluates (Setting.SQL).
func (r *renderer) setPlan(x *sqlparser.Set) Plan {
	settings := make([]Setting, 0, len(x.Exprs))
	for _, e := range x.Exprs {
		st, ok := r.setting(e)
		if !ok {
			return Plan{}
		}
		settings = append(settings, st)
	}
	db, err := r.planDatabase()
	if err != nil {
		r.fail(err)
		return Plan{}
	}
	for i := range settings {
		if settings[i].SQL != "" {
			settings[i].SQL, settings[i].Params = finish(settings[i].SQL, db)
		}
	}
	return Plan{Kind: PlanSet, Database: db, Settings: settings}
}

// setting translates one assignment.
func (r *renderer) setting(e *sqlparser.SetExpr) (Setting, bool) {
	st := Setting{Kind: SettingSystem, Name: e.Var.Name.Lowered()}
	switch e.Var.Scope {
	case sqlparser.VariableScope:
		st.Kind = SettingUser
	case sqlparser.GlobalScope:
		st.Global = true
	case sqlparser.NextTxScope:
		st.NextTransaction = true
	case sqlparser.SessionScope, sqlparser.NoScope:
	default:
		r.fail(errNotSupportedf("SET %s", describe(e)))
		return st, false
	}
	switch st.Name {
	case "names":
		st.Kind = SettingNames
	case "charset":
		st.Kind = SettingCharset
	}
	return r.settingValue(st, e.Expr)
}

// settingValue fills in the value of st from e.
func (r *renderer) settingValue(st Setting, e sqlparser.Expr) (Setting, bool) {
	if _, ok := e.(*sqlparser.Default); ok {
		if st.Kind == SettingUser {
			r.fail(errParse("near 'DEFAULT'"))
			return st, false
		}
		if st.Kind == SettingNames || st.Kind == SettingCharset {
			st.Value = "utf8mb4"
			return st, true
		}
		st.Default = true
		_, err := r.t.CheckSetting(st, nil)
		return st, r.ok(err)
	}
	if c, ok := e.(*sqlparser.ColName); ok && st.Kind != SettingUser && c.Qualifier.IsEmpty() {
		e = sqlparser.NewStrLiteral(c.Name.String()) // SET sql_mode = TRADITIONAL
	}
	v, constant := constValue(e)
	if !constant {
		st.SQL = r.capture(func() { r.w("SELECT "); r.expr(e) })
		return st, r.err == nil
	}
	checked, err := r.t.CheckSetting(st, v)
	st.Value = checked
	return st, r.ok(err)
}

// ok records err and reports whether there was none.
func (r *renderer) ok(err error) bool {
	if err == nil {
		return true
	}
	if e, isErr := err.(*Error); isErr {
		r.fail(e)
	} else {
		r.fail(&Error{Code: 1105, SQLState: "HY000", Message: err.Error()})
	}
	return false
}

// constValue returns the value of a constant expression.
func constValue(e sqlparser.Expr) (engine.Value, bool) {
	switch x := e.(type) {
	case *sqlparser.NullVal:
		return nil, true
	case sqlparser.BoolVal:
		if x {
			return int64(1), true
		}
		return int64(0), true
	case *sqlparser.Literal:
		return literalValue(x)
	case *sqlparser.UnaryExpr:
		if x.Operator == sqlparser.UMinusOp {
			switch v, ok := constValue(x.Expr); n := v.(type) {
			case int64:
				return -n, ok
			case float64:
				return -n, ok
			}
		}
	}
	return nil, false
}

func literalValue(l *sqlparser.Literal) (engine.Value, bool) {
	switch l.Type {
	case sqlparser.StrVal:
		return l.Val, true
	case sqlparser.IntVal:
		if n, err := strconv.ParseInt(l.Val, 10, 64); err == nil {
			return n, true
		}
		return l.Val, true
	case sqlparser.FloatVal, sqlparser.DecimalVal:
		f, err := strconv.ParseFloat(l.Val, 64)
		return f, err == nil
	case sqlparser.BitNum:
		n, err := strconv.ParseInt(strings.TrimPrefix(l.Val, "0b"), 2, 64)
		return n, err == nil
	}
	return nil, false
}
