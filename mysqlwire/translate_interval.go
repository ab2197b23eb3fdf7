package mysqlwire

import (
	"strconv"
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"
)

// intervalDate writes DATE_ADD, DATE_SUB, ADDDATE, SUBDATE, TIMESTAMPADD and
// d +/- INTERVAL n unit. Like MySQL, a date without a time plus whole days,
// months or years stays a date; anything else is a datetime.
func (r *renderer) intervalDate(x *sqlparser.IntervalDateExpr) {
	unit := x.Unit
	if unit == sqlparser.IntervalNone {
		unit = sqlparser.IntervalDay // ADDDATE(d, n)
	}
	neg := x.IsSubtraction()
	d := r.dateArg(x.Date)
	if months, ok := monthUnits[unit]; ok {
		r.addMonths(d, r.scaled(x.Interval, months, neg))
		return
	}
	if secs, ok := secondUnits[unit]; ok {
		mod := r.modifier(x.Interval, secs, neg)
		if unit == sqlparser.IntervalDay || unit == sqlparser.IntervalWeek {
			r.tpl("CASE WHEN length($1) = 10 THEN date($1, $2) ELSE datetime($1, $2) END", d, mod)
			return
		}
		r.tpl("datetime($1, $2)", d, mod)
		return
	}
	months, secs, ok := compoundInterval(x.Interval, unit)
	if !ok {
		r.fail(errNotSupportedf("INTERVAL %s with a value other than a literal", unit.ToString()))
		return
	}
	if neg {
		months, secs = -months, -secs
	}
	if months != 0 {
		d = sqlText(r.capture(func() { r.addMonths(d, sqlText(strconv.FormatInt(months, 10))) }))
		if secs == 0 {
			r.w(string(d))
			return
		}
	}
	r.tpl("datetime($1, $2)", d, sqlText(sqlString(secondsModifier(secs))))
}

// monthUnits are the units counted in months.
var monthUnits = map[sqlparser.IntervalType]int64{
	sqlparser.IntervalMonth: 1, sqlparser.IntervalQuarter: 3, sqlparser.IntervalYear: 12,
}

// secondUnits are the units counted in seconds (a day is a SQLite "days"
// modifier, so they are given in the unit SQLite names).
var secondUnits = map[sqlparser.IntervalType]struct {
	n    string
	unit string
}{
	sqlparser.IntervalMicrosecond: {"0.000001", "seconds"},
	sqlparser.IntervalSecond:      {"1", "seconds"},
	sqlparser.IntervalMinute:      {"1", "minutes"},
	sqlparser.IntervalHour:        {"1", "hours"},
	sqlparser.IntervalDay:         {"1", "days"},
	sqlparser.IntervalWeek:        {"7", "days"},
}

// modifier returns a SQLite date modifier adding n*scale units.
func (r *renderer) modifier(n sqlparser.Expr, u struct{ n, unit string }, neg bool) sqlText {
	if lit := intLiteral(n); lit != "" && u.n == "1" {
		v, err := strconv.ParseInt(lit, 10, 64)
		if err == nil {
			if neg {
				v = -v
			}
			return sqlText(sqlString(strconv.FormatInt(v, 10) + " " + u.unit))
		}
	}
	sign := ""
	if neg {
		sign = "-"
	}
	scale := ""
	if u.n != "1" {
		scale = " * " + u.n
	}
	return sqlText(r.capture(func() { r.tpl("(("+sign+"$1"+scale+") || ' "+u.unit+"')", n) }))
}

// scaled returns the SQLite text of n*k, negated for a subtraction.
func (r *renderer) scaled(n sqlparser.Expr, k int64, neg bool) sqlText {
	if lit := intLiteral(n); lit != "" {
		if v, err := strconv.ParseInt(lit, 10, 64); err == nil && v < 1<<40 && v > -(1<<40) {
			if neg {
				v = -v
			}
			return sqlText(strconv.FormatInt(v*k, 10))
		}
	}
	sign := ""
	if neg {
		sign = "-"
	}
	return sqlText(r.capture(func() { r.tpl("("+sign+"CAST($1 AS INTEGER) * "+strconv.FormatInt(k, 10)+")", n) }))
}

// addMonths writes d plus m months, keeping the day of the month where the
// target month has it and clamping to its last day otherwise (MySQL's rule;
// SQLite would overflow into the next month). The time of day is kept.
func (r *renderer) addMonths(d, m sqlText) {
	day := sqlText(r.capture(func() { r.tpl("CAST(strftime('%d', $1) AS INTEGER)", d) }))
	last := sqlText(r.capture(func() {
		r.tpl("CAST(strftime('%d', $1, 'start of month', ($2 + 1) || ' months', '-1 day') AS INTEGER)", d, m)
	}))
	mods := sqlText(r.capture(func() {
		r.tpl("'-' || ($2 - 1) || ' days', $3 || ' months', '+' || (min($2, $4) - 1) || ' days'", d, day, m, last)
	}))
	r.tpl("CASE WHEN length($1) = 10 THEN date($1, $2) ELSE datetime($1, $2) END", d, mods)
}

// compoundInterval reads the literal of a compound unit (DAY_HOUR '1 2' and
// friends) into months and seconds.
func compoundInterval(n sqlparser.Expr, unit sqlparser.IntervalType) (months int64, secs float64, ok bool) {
	fields, known := compoundFields[unit]
	lit, isLit := n.(*sqlparser.Literal)
	if !known || !isLit {
		return 0, 0, false
	}
	s := strings.TrimSpace(lit.Val)
	neg := strings.HasPrefix(s, "-")
	nums := strings.FieldsFunc(strings.TrimPrefix(s, "-"), func(c rune) bool { return c < '0' || c > '9' })
	if len(nums) == 0 || len(nums) > len(fields) {
		return 0, 0, false
	}
	fields = fields[len(fields)-len(nums):] // short values fill the rightmost fields
	for i := 0; i < len(fields); i++ {
		v, err := strconv.ParseFloat(nums[i], 64)
		if err != nil {
			return 0, 0, false
		}
		switch f := fields[i]; f {
		case 'Y':
			months += int64(v) * 12
		case 'M':
			months += int64(v)
		default:
			secs += v * fieldSeconds[f]
		}
	}
	if neg {
		months, secs = -months, -secs
	}
	return months, secs, true
}

// compoundFields lists each compound unit's fields: Y years, M months, d
// days, h hours, m minutes, s seconds, u microseconds.
var compoundFields = map[sqlparser.IntervalType]string{
	sqlparser.IntervalYearMonth:         "YM",
	sqlparser.IntervalDayHour:           "dh",
	sqlparser.IntervalDayMinute:         "dhm",
	sqlparser.IntervalDaySecond:         "dhms",
	sqlparser.IntervalDayMicrosecond:    "dhmsu",
	sqlparser.IntervalHourMinute:        "hm",
	sqlparser.IntervalHourSecond:        "hms",
	sqlparser.IntervalHourMicrosecond:   "hmsu",
	sqlparser.IntervalMinuteSecond:      "ms",
	sqlparser.IntervalMinuteMicrosecond: "msu",
	sqlparser.IntervalSecondMicrosecond: "su",
}

var fieldSeconds = map[byte]float64{'d': 86400, 'h': 3600, 'm': 60, 's': 1, 'u': 0.000001}

// secondsModifier renders a SQLite modifier adding secs seconds.
func secondsModifier(secs float64) string {
	return strconv.FormatFloat(secs, 'f', -1, 64) + " seconds"
}
