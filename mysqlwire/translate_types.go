package mysqlwire

import (
	"strconv"
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"
)

// colType is a MySQL column type and how Warren stores it.
//
// The SQLite declared type is MySQL's type text (what DESCRIBE shows, quoted
// when it is not a plain SQLite type name) so that SQLite's affinity rules
// see "int", "char", "text", "blob", "double"... A marker comment appended
// inside the type records what the text cannot say: " /*blob*/" gives
// BINARY and VARBINARY blob affinity, " /*text*/" gives JSON text affinity,
// " /*bin*/" marks a string column with a binary collation. The
// introspection queries strip the markers.
type colType struct {
	display  string // MySQL's type text, e.g. "bigint(20) unsigned"
	base     string // the type name, e.g. "bigint"
	integer  bool   // an integer type (can become INTEGER PRIMARY KEY)
	str      bool   // a character string type (has a collation)
	binColl  bool   // a string type compared byte by byte
	marker   string // "", " /*blob*/", " /*text*/" or " /*bin*/"
	implicit string // SQLite literal of MySQL's implicit default for NOT NULL, "" for none
}

// decl returns the SQLite declared type.
func (c colType) decl() string {
	t := c.display + c.marker
	if plainTypeName(t) {
		return t
	}
	return sqlString(t)
}

// plainTypeName reports whether t is a SQLite type name without quotes: a
// word with an optional (n) or (n,m).
func plainTypeName(t string) bool {
	name, args, hasArgs := strings.Cut(t, "(")
	for _, c := range name {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	if name == "" {
		return false
	}
	if !hasArgs {
		return true
	}
	args, ok := strings.CutSuffix(args, ")")
	for _, c := range args {
		if (c < '0' || c > '9') && c != ',' {
			return false
		}
	}
	return ok && args != ""
}

var intTypes = map[string]string{"tinyint": "tinyint", "smallint": "smallint", "mediumint": "mediumint",
	"int": "int", "integer": "int", "bigint": "bigint"}

var stringTypes = map[string]string{"char": "''", "varchar": "''", "tinytext": "''", "text": "''",
	"mediumtext": "''", "longtext": "''"}

var binaryTypes = map[string]bool{"binary": true, "varbinary": true, "tinyblob": true, "blob": true,
	"mediumblob": true, "longblob": true}

var temporalDefaults = map[string]string{"date": "'0000-00-00'", "datetime": "'0000-00-00 00:00:00'",
	"timestamp": "'0000-00-00 00:00:00'", "time": "'00:00:00'", "year": "0"}

// columnType maps a MySQL column type. binTable reports a table whose
// default collation is binary.
func (r *renderer) columnType(ct *sqlparser.ColumnType, binTable bool) (colType, bool) {
	base := strings.ToLower(ct.Type)
	c := colType{base: base}
	switch {
	case intTypes[base] != "":
		c.base, c.integer, c.implicit = intTypes[base], true, "0"
	case base == "bool" || base == "boolean":
		c.base, c.integer, c.implicit = "tinyint", true, "0"
		c.display = "tinyint(1)"
	case base == "decimal" || base == "numeric" || base == "dec" || base == "fixed":
		c.base, c.implicit = "decimal", "0"
		c.display = "decimal(" + strconv.Itoa(intOr(ct.Length, 10)) + "," + strconv.Itoa(intOr(ct.Scale, 0)) + ")"
	case base == "float" || base == "double" || base == "real" || base == "bit":
		c.implicit = "0"
		if base == "real" {
			c.base = "double"
		}
	case stringTypes[base] != "":
		c.str, c.implicit = true, "''"
	case binaryTypes[base]:
		c.implicit = "''"
		if base == "binary" || base == "varbinary" {
			c.marker = " /*blob*/"
		}
	case temporalDefaults[base] != "":
		c.implicit = temporalDefaults[base]
	case base == "json":
		c.marker = " /*text*/"
	case base == "enum" || base == "set":
		c.str = true
	default:
		r.fail(errNotSupportedf("column type %s", ct.Type))
		return c, false
	}
	return r.finishType(c, ct, binTable)
}

// finishType completes the display text, collation and marker.
func (r *renderer) finishType(c colType, ct *sqlparser.ColumnType, binTable bool) (colType, bool) {
	if c.display == "" {
		c.display = c.base + typeArgs(c.base, ct)
	}
	if c.base == "enum" || c.base == "set" {
		if !r.enumType(&c, ct) {
			return c, false
		}
	}
	if ct.Unsigned {
		c.display += " unsigned"
	}
	if ct.Zerofill {
		c.display += " zerofill"
	}
	if c.str {
		c.binColl = binTable || ct.Charset.Binary || strings.EqualFold(ct.Charset.Name, "binary")
		if coll := strings.ToLower(ct.Options.Collate); coll != "" {
			c.binColl = coll == "binary" || strings.HasSuffix(coll, "_bin") || strings.HasSuffix(coll, "_cs")
		}
		if c.binColl {
			c.marker = " /*bin*/"
		}
	}
	if cs := strings.ToLower(ct.Charset.Name); cs != "" && cs != "binary" && !charsets[cs] {
		r.fail(errNotSupportedf("character set %s: Warren stores UTF-8", ct.Charset.Name))
		return c, false
	}
	return c, true
}

// typeArgs renders the (length[,scale]) of a type, with MySQL's defaults for
// CHAR, BINARY and BIT.
func typeArgs(base string, ct *sqlparser.ColumnType) string {
	switch {
	case ct.Length != nil && ct.Scale != nil:
		return "(" + strconv.Itoa(*ct.Length) + "," + strconv.Itoa(*ct.Scale) + ")"
	case ct.Length != nil:
		return "(" + strconv.Itoa(*ct.Length) + ")"
	case base == "char" || base == "binary" || base == "bit":
		return "(1)"
	}
	return ""
}

func intOr(p *int, def int) int {
	if p == nil {
		return def
	}
	return *p
}

// enumType renders ENUM/SET labels and checks that SQLite's affinity for the
// resulting type text keeps every label as written.
func (r *renderer) enumType(c *colType, ct *sqlparser.ColumnType) bool {
	labels := make([]string, len(ct.EnumValues))
	quoted := make([]string, len(ct.EnumValues))
	for i, v := range ct.EnumValues {
		e, err := r.t.parser.ParseExpr(v)
		l, ok := e.(*sqlparser.Literal)
		if err != nil || !ok {
			r.fail(errParse("bad " + c.base + " label " + v))
			return false
		}
		labels[i] = l.Val
		quoted[i] = "'" + strings.ReplaceAll(l.Val, "'", "''") + "'"
	}
	c.display = c.base + "(" + strings.Join(quoted, ",") + ")"
	if c.base == "enum" && len(labels) > 0 {
		c.implicit = sqlString(labels[0])
	} else {
		c.implicit = "''"
	}
	aff := affinity(c.display)
	for _, l := range labels {
		if !affinityKeeps(aff, l) {
			r.fail(errNotSupportedf("%s label '%s': SQLite would store it as a number", c.base, l))
			return false
		}
	}
	return true
}

// affinity returns SQLite's column affinity for a declared type: 'i'
// INTEGER, 't' TEXT, 'b' BLOB, 'r' REAL, 'n' NUMERIC (sqlite3AffinityType).
func affinity(decl string) byte {
	d := strings.ToUpper(decl)
	switch {
	case strings.Contains(d, "INT"):
		return 'i'
	case strings.Contains(d, "CHAR"), strings.Contains(d, "CLOB"), strings.Contains(d, "TEXT"):
		return 't'
	case strings.Contains(d, "BLOB"), d == "":
		return 'b'
	case strings.Contains(d, "REAL"), strings.Contains(d, "FLOA"), strings.Contains(d, "DOUB"):
		return 'r'
	}
	return 'n'
}

// affinityKeeps reports whether a text value stored in a column of affinity
// aff reads back unchanged.
func affinityKeeps(aff byte, s string) bool {
	if aff == 't' || aff == 'b' || !looksNumeric(s) {
		return true
	}
	if aff == 'r' {
		return false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return err == nil && strconv.FormatInt(n, 10) == s
}

// looksNumeric reports text SQLite would convert to a number: optional
// spaces and sign, digits with an optional fraction and exponent.
func looksNumeric(s string) bool {
	s = strings.TrimSpace(s)
	s = strings.TrimLeft(s, "+-")
	digits, i := 0, 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		digits++
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := i
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		}
		if i == j {
			return false
		}
	}
	return i == len(s)
}
