package mysqlwire

import (
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"
)

// Dates and times are TEXT in MySQL's formats ('YYYY-MM-DD HH:MM:SS'), which
// SQLite's date functions read and write. Warren keeps time in UTC.

func init() {
	register(fixed(0, "date('now')"), "curdate", "current_date", "utc_date")
	register(fixed(0, "time('now')"), "curtime", "current_time", "utc_time")
	register(fixed(0, "datetime('now')"), "now", "sysdate", "current_timestamp", "localtime", "localtimestamp", "utc_timestamp")
	register(unixTimestamp, "unix_timestamp")
	register(fromUnixtime, "from_unixtime")
	register(dateFormatFunc, "date_format", "time_format")
	register(dated(1, "date($1)"), "date")
	register(dated(1, "time($1)"), "time")
	register(dated(1, "datetime($1)"), "timestamp")
	register(datePart("%Y"), "year")
	register(datePart("%m"), "month")
	register(datePart("%d"), "day", "dayofmonth")
	register(datePart("%H"), "hour")
	register(datePart("%M"), "minute")
	register(datePart("%S"), "second")
	register(datePart("%j"), "dayofyear")
	register(dated(1, "(CAST(strftime('%w', $1) AS INTEGER) + 1)"), "dayofweek")
	register(dated(1, "((CAST(strftime('%w', $1) AS INTEGER) + 6) % 7)"), "weekday")
	register(dated(1, "((CAST(strftime('%m', $1) AS INTEGER) + 2) / 3)"), "quarter")
	register(dated(1, "(CAST(substr(strftime('%f', $1), 4) AS INTEGER) * 1000)"), "microsecond")
	register(dated(1, monthNameSQL), "monthname")
	register(dated(1, dayNameSQL), "dayname")
	register(week, "week")
	register(dated(1, "date($1, 'start of month', '+1 month', '-1 day')"), "last_day")
	register(dated(2, "CAST(julianday(date($1)) - julianday(date($2)) AS INTEGER)"), "datediff")
	register(dated(1, "CAST(julianday(date($1)) - 1721059.5 AS INTEGER)"), "to_days")
	register(fixed(1, "date($1 + 1721059.5)"), "from_days")
	register(dated(1, "(CAST(strftime('%H', $1) AS INTEGER) * 3600 + CAST(strftime('%M', $1) AS INTEGER) * 60 + CAST(strftime('%S', $1) AS INTEGER))"), "time_to_sec")
	register(fixed(1, "printf('%s%02d:%02d:%02d', CASE WHEN $1 < 0 THEN '-' ELSE '' END, abs($1) / 3600, abs($1) % 3600 / 60, abs($1) % 60)"), "sec_to_time")
	register(timediff, "timediff")
	register(convertTZ, "convert_tz")
	register(unsupported(""), "str_to_date", "makedate", "maketime", "period_add", "period_diff", "yearweek",
		"weekofyear", "addtime", "subtime", "get_format", "utc_timestamp_ms")
}

const monthNameSQL = "CASE strftime('%m', $1) WHEN '01' THEN 'January' WHEN '02' THEN 'February' WHEN '03' THEN 'March' " +
	"WHEN '04' THEN 'April' WHEN '05' THEN 'May' WHEN '06' THEN 'June' WHEN '07' THEN 'July' WHEN '08' THEN 'August' " +
	"WHEN '09' THEN 'September' WHEN '10' THEN 'October' WHEN '11' THEN 'November' WHEN '12' THEN 'December' END"

// weekSQL is WEEK($1) in mode 0: weeks start on Sunday, the first Sunday
// starts week 1 (strftime's %U, which SQLite 3.45 lacks).
const weekSQL = "((CAST(strftime('%j', $1) AS INTEGER) + 6 - CAST(strftime('%w', $1) AS INTEGER)) / 7)"

const dayNameSQL = "CASE strftime('%w', $1) WHEN '0' THEN 'Sunday' WHEN '1' THEN 'Monday' WHEN '2' THEN 'Tuesday' " +
	"WHEN '3' THEN 'Wednesday' WHEN '4' THEN 'Thursday' WHEN '5' THEN 'Friday' WHEN '6' THEN 'Saturday' END"

// datePart returns YEAR(), MONTH() and friends: a strftime field as a number.
func datePart(spec string) funcImpl {
	return dated(1, "CAST(strftime('"+spec+"', $1) AS INTEGER)")
}

// curTime writes NOW(), CURRENT_TIMESTAMP, CURTIME() and friends, with fsp
// fractional digits (SQLite keeps milliseconds).
func (r *renderer) curTime(name string, fsp int) {
	layout := "%Y-%m-%d %H:%M:%S"
	switch name {
	case "curtime", "current_time", "utc_time":
		layout = "%H:%M:%S"
	case "curdate", "current_date", "utc_date":
		r.w("date('now')")
		return
	}
	if fsp <= 0 {
		r.w("strftime('" + layout + "', 'now')")
		return
	}
	layout = strings.TrimSuffix(layout, "%S") + "%f"
	switch {
	case fsp <= 3:
		r.w("substr(strftime('" + layout + "', 'now'), 1, length(strftime('" + layout + "', 'now')) - " + itoa(3-fsp) + ")")
	default:
		r.w("(strftime('" + layout + "', 'now') || '" + zeros(itoa(fsp-3)) + "')")
	}
}

func unixTimestamp(r *renderer, name string, args []sqlparser.Expr) {
	if !r.arity(name, args, 0, 1) {
		return
	}
	if len(args) == 0 {
		r.w("unixepoch('now')")
		return
	}
	r.tpl("unixepoch($1)", r.dateArg(args[0]))
}

func fromUnixtime(r *renderer, name string, args []sqlparser.Expr) {
	if !r.arity(name, args, 1, 2) {
		return
	}
	if len(args) == 1 {
		r.tpl("datetime($1, 'unixepoch')", args[0])
		return
	}
	d := sqlText(r.capture(func() { r.tpl("datetime($1, 'unixepoch')", args[0]) }))
	r.dateFormat(d, args[1])
}

func dateFormatFunc(r *renderer, name string, args []sqlparser.Expr) {
	if r.arity(name, args, 2, 2) {
		r.dateFormat(r.dateArg(args[0]), args[1])
	}
}

// weekMode1SQL is WEEK($1, 1): weeks start on Monday and week 1 is the
// first week with four or more days in the year (days before it are week 0).
// With J the weekday of January 1st (Monday = 0) and D the 0-based day of the
// year, it is (D + J) / 7, plus 1 when January 1st lies in week 1 (J <= 3).
// Checked against MariaDB's WEEK(d, 1) for every third day of 2016–2030.
const weekMode1SQL = "(((CAST(strftime('%j', $1) AS INTEGER) - 1 + ((CAST(strftime('%w', date($1, 'start of year')) AS INTEGER) + 6) % 7)) / 7)" +
	" + (((CAST(strftime('%w', date($1, 'start of year')) AS INTEGER) + 6) % 7) <= 3))"

// week writes WEEK(d[, mode]) for mode 0 (MySQL's default: weeks start on
// Sunday) and mode 1 (weeks start on Monday, WordPress's default).
func week(r *renderer, name string, args []sqlparser.Expr) {
	if !r.arity(name, args, 1, 2) {
		return
	}
	mode := "0"
	if len(args) == 2 {
		mode = intLiteral(args[1])
	}
	switch mode {
	case "0":
		r.tpl(weekSQL, r.dateArg(args[0]))
	case "1":
		r.tpl(weekMode1SQL, r.dateArg(args[0]))
	default:
		r.fail(errNotSupported("WEEK with a mode other than 0 or 1"))
	}
}

// timediff writes TIMEDIFF(a, b) as [-]HH:MM:SS.
func timediff(r *renderer, name string, args []sqlparser.Expr) {
	if !r.arity(name, args, 2, 2) {
		return
	}
	d := sqlText(r.capture(func() { r.tpl("(unixepoch($1) - unixepoch($2))", r.dateArg(args[0]), r.dateArg(args[1])) }))
	r.tpl("printf('%s%02d:%02d:%02d', CASE WHEN $1 < 0 THEN '-' ELSE '' END, abs($1) / 3600, abs($1) % 3600 / 60, abs($1) % 60)", d)
}

// convertTZ writes CONVERT_TZ between UTC zones, the only ones Warren has.
func convertTZ(r *renderer, name string, args []sqlparser.Expr) {
	if !r.arity(name, args, 3, 3) {
		return
	}
	for _, z := range args[1:] {
		l, ok := z.(*sqlparser.Literal)
		if !ok || !utcZones[strings.ToUpper(l.Val)] {
			r.fail(errNotSupported("CONVERT_TZ between zones other than UTC"))
			return
		}
	}
	r.expr(args[0])
}

// extract writes EXTRACT(unit FROM d).
func (r *renderer) extract(x *sqlparser.ExtractFuncExpr) {
	d := r.dateArg(x.Expr)
	parts := map[sqlparser.IntervalType]string{
		sqlparser.IntervalYear: "%Y", sqlparser.IntervalMonth: "%m", sqlparser.IntervalDay: "%d",
		sqlparser.IntervalHour: "%H", sqlparser.IntervalMinute: "%M", sqlparser.IntervalSecond: "%S",
		sqlparser.IntervalYearMonth: "%Y%m",
	}
	switch spec, ok := parts[x.IntervalType]; {
	case ok:
		r.tpl("CAST(strftime('"+spec+"', $1) AS INTEGER)", d)
	case x.IntervalType == sqlparser.IntervalWeek:
		r.tpl(weekSQL, d)
	case x.IntervalType == sqlparser.IntervalQuarter:
		r.tpl("((CAST(strftime('%m', $1) AS INTEGER) + 2) / 3)", d)
	case x.IntervalType == sqlparser.IntervalMicrosecond:
		r.tpl("(CAST(substr(strftime('%f', $1), 4) AS INTEGER) * 1000)", d)
	default:
		r.fail(errNotSupportedf("EXTRACT(%s ...)", x.IntervalType.ToString()))
	}
}

// timestampDiff writes TIMESTAMPDIFF(unit, a, b): whole units from a to b.
func (r *renderer) timestampDiff(x *sqlparser.TimestampDiffExpr) {
	a, b := r.dateArg(x.Expr1), r.dateArg(x.Expr2)
	secs := map[sqlparser.IntervalType]string{
		sqlparser.IntervalSecond: "1", sqlparser.IntervalMinute: "60", sqlparser.IntervalHour: "3600",
		sqlparser.IntervalDay: "86400", sqlparser.IntervalWeek: "604800",
	}
	months := map[sqlparser.IntervalType]string{
		sqlparser.IntervalMonth: "1", sqlparser.IntervalQuarter: "3", sqlparser.IntervalYear: "12",
	}
	if s, ok := secs[x.Unit]; ok {
		r.tpl("((unixepoch($2) - unixepoch($1)) / "+s+")", a, b)
		return
	}
	m, ok := months[x.Unit]
	if x.Unit == sqlparser.IntervalMicrosecond {
		r.tpl("CAST(round((julianday($2) - julianday($1)) * 86400000) * 1000 AS INTEGER)", a, b)
		return
	}
	if !ok {
		r.fail(errNotSupportedf("TIMESTAMPDIFF(%s, ...)", x.Unit.ToString()))
		return
	}
	r.tpl("(((CAST(strftime('%Y', $2) AS INTEGER) - CAST(strftime('%Y', $1) AS INTEGER)) * 12 + "+
		"CAST(strftime('%m', $2) AS INTEGER) - CAST(strftime('%m', $1) AS INTEGER) - "+
		"CASE WHEN $2 >= $1 THEN strftime('%d %H:%M:%f', $2) < strftime('%d %H:%M:%f', $1) "+
		"ELSE -(strftime('%d %H:%M:%f', $2) > strftime('%d %H:%M:%f', $1)) END) / "+m+")", a, b)
}
