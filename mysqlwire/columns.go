package mysqlwire

import (
	"strconv"
	"strings"

	"github.com/go-mysql-org/go-mysql/mysql"
	"github.com/warren-db/warren/engine"
)

// Character sets of column definitions.
const (
	charsetBinary = 63
	charsetText   = collationUTF8MB4
)

// valueKind is how the values of a result column are encoded.
type valueKind uint8

const (
	kindNull     valueKind = iota // every value is NULL
	kindInt                       // integers (TINY ... LONGLONG, YEAR)
	kindFloat                     // DOUBLE
	kindDecimal                   // NEWDECIMAL: numbers as text with the column's scale
	kindText                      // character strings
	kindBytes                     // binary strings
	kindDate                      // DATE
	kindDateTime                  // DATETIME and TIMESTAMP
	kindTime                      // TIME
)

// column is a result column as the client sees it.
type column struct {
	name     string
	decl     string // the declared type, lower case
	typ      byte
	flags    uint16
	charset  uint16
	length   uint32
	decimals byte
	kind     valueKind
}

// resultColumns describes the columns of rows: the declared MySQL type where
// there is one, made to fit the values actually present (SQLite stores any
// value in any column, and a client must never decode a value with the
// wrong type), else a type inferred from the values.
func resultColumns(rows *engine.Rows) []column {
	cols := make([]column, len(rows.Columns))
	for i, c := range rows.Columns {
		cols[i] = declaredColumn(c.Name, c.DeclType).fit(rows.Rows, i)
	}
	return cols
}

// declaredColumn maps a declared type to a MySQL column type. Types it does
// not know, and "" (expressions), leave the type to the values.
func declaredColumn(name, decl string) column {
	base, args, unsigned := splitDeclType(decl)
	c := column{name: name, decl: base, charset: charsetBinary}
	switch base {
	case "tinyint", "bool", "boolean":
		c.setInt(mysql.MYSQL_TYPE_TINY, 4, args, unsigned)
	case "smallint":
		c.setInt(mysql.MYSQL_TYPE_SHORT, 6, args, unsigned)
	case "mediumint":
		c.setInt(mysql.MYSQL_TYPE_INT24, 9, args, unsigned)
	case "int":
		c.setInt(mysql.MYSQL_TYPE_LONG, 11, args, unsigned)
	case "integer", "bigint", "bit", "serial":
		c.setInt(mysql.MYSQL_TYPE_LONGLONG, 20, args, unsigned || base == "serial" || base == "bit")
	case "year":
		c.setInt(mysql.MYSQL_TYPE_YEAR, 4, nil, true)
		c.flags |= mysql.ZEROFILL_FLAG
	case "float", "double", "real", "double precision":
		c.typ, c.kind, c.length, c.decimals = mysql.MYSQL_TYPE_DOUBLE, kindFloat, 22, 31
	case "decimal", "numeric", "dec", "fixed":
		c.setDecimal(args, unsigned)
	case "date":
		c.typ, c.kind, c.length = mysql.MYSQL_TYPE_DATE, kindDate, 10
	case "datetime", "timestamp":
		c.setDateTime(base, args)
	case "time":
		c.typ, c.kind, c.length, c.decimals = mysql.MYSQL_TYPE_TIME, kindTime, 10, fsp(args)
	default:
		c.setString(base, args)
	}
	return c
}

// splitDeclType splits "bigint(20) unsigned" into "bigint", ["20"], true.
func splitDeclType(decl string) (base string, args []string, unsigned bool) {
	d := strings.ToLower(strings.TrimSpace(decl))
	if i := strings.IndexByte(d, '('); i >= 0 {
		if j := strings.IndexByte(d[i:], ')'); j > 0 {
			for _, a := range strings.Split(d[i+1:i+j], ",") {
				args = append(args, strings.TrimSpace(a))
			}
			d = d[:i] + " " + d[i+j+1:]
		}
	}
	words := strings.Fields(d)
	for _, w := range words {
		unsigned = unsigned || w == "unsigned"
	}
	if len(words) >= 2 && words[0] == "double" && words[1] == "precision" {
		return "double precision", args, unsigned
	}
	if len(words) == 0 {
		return "", args, unsigned
	}
	return words[0], args, unsigned
}

func (c *column) setInt(typ byte, length uint32, args []string, unsigned bool) {
	c.typ, c.kind, c.length = typ, kindInt, length
	if n := argInt(args, 0, 0); n > 0 {
		c.length = uint32(n) // the display width: tinyint(1) is how clients spot booleans
	}
	if unsigned {
		c.flags |= mysql.UNSIGNED_FLAG
	}
}

func (c *column) setDecimal(args []string, unsigned bool) {
	prec, scale := argInt(args, 0, 10), argInt(args, 1, 0)
	c.typ, c.kind, c.length, c.decimals = mysql.MYSQL_TYPE_NEWDECIMAL, kindDecimal, uint32(prec+2), byte(min(scale, 30))
	if unsigned {
		c.flags |= mysql.UNSIGNED_FLAG
	}
}

func (c *column) setDateTime(base string, args []string) {
	c.typ, c.kind, c.decimals = mysql.MYSQL_TYPE_DATETIME, kindDateTime, fsp(args)
	if base == "timestamp" {
		c.typ = mysql.MYSQL_TYPE_TIMESTAMP
	}
	c.length = 19
	if c.decimals > 0 {
		c.length += 1 + uint32(c.decimals)
	}
}

// setString maps character and binary string types; unknown names stay
// untyped (kindNull) for fit to infer.
func (c *column) setString(base string, args []string) {
	n := uint32(argInt(args, 0, 0))
	text := func(typ byte, length uint32) {
		c.typ, c.kind, c.charset, c.length = typ, kindText, charsetText, length
	}
	bin := func(typ byte, length uint32) {
		c.typ, c.kind, c.charset, c.length = typ, kindBytes, charsetBinary, length
		c.flags |= mysql.BINARY_FLAG
	}
	switch base {
	case "char", "nchar", "character":
		text(mysql.MYSQL_TYPE_STRING, 4*max(n, 1))
	case "varchar", "nvarchar", "varcharacter":
		text(mysql.MYSQL_TYPE_VAR_STRING, 4*n)
	case "enum", "set":
		text(mysql.MYSQL_TYPE_STRING, 4*255)
		c.flags |= map[string]uint16{"enum": mysql.ENUM_FLAG, "set": mysql.SET_FLAG}[base]
	case "tinytext", "text", "mediumtext", "longtext", "json", "clob":
		text(mysql.MYSQL_TYPE_BLOB, blobLength(base))
		c.flags |= mysql.BLOB_FLAG
	case "binary":
		bin(mysql.MYSQL_TYPE_STRING, max(n, 1))
	case "varbinary":
		bin(mysql.MYSQL_TYPE_VAR_STRING, n)
	case "tinyblob", "blob", "mediumblob", "longblob", "geometry":
		bin(mysql.MYSQL_TYPE_BLOB, blobLength(base))
		c.flags |= mysql.BLOB_FLAG
	}
}

// blobLength is the byte length MySQL reports for TEXT and BLOB types.
func blobLength(base string) uint32 {
	switch strings.TrimSuffix(strings.TrimSuffix(base, "text"), "blob") {
	case "tiny":
		return 255
	case "medium":
		return 16777215
	case "long", "json", "clob":
		return 4294967295
	}
	return 65535
}

func fsp(args []string) byte { return byte(min(max(argInt(args, 0, 0), 0), 6)) }

// argInt returns args[i] as an integer, or def.
func argInt(args []string, i, def int) int {
	if i >= len(args) {
		return def
	}
	n, err := strconv.Atoi(args[i])
	if err != nil {
		return def
	}
	return n
}
