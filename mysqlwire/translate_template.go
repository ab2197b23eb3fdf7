package mysqlwire

import (
	"strconv"
	"strings"

	"github.com/warren-db/warren/engine"
)

// A cached translation may contain holes for values that change between
// executions of the same text: LAST_INSERT_ID(), @@vars, @user vars, the
// database list. A hole is holeMark, a kind byte, a name and holeMark again;
// fill replaces each with a SQLite literal (or subquery) for the session.
// Statement text never contains holeMark: literals holding NUL are written
// with char(0).
const holeMark = '\x00'

// Hole kinds.
const (
	holeLastInsertID = 'L'
	holeFoundRows    = 'F'
	holeRowCount     = 'R'
	holeConnectionID = 'C'
	holeUser         = 'U'
	holeSessionVar   = 'S' // name: a system variable
	holeGlobalVar    = 'G' // name: a system variable
	holeUserVar      = 'V' // name: a user variable
	holeDatabases    = 'D' // a subquery of one column, "name"
	holeVariables    = 'W' // a subquery of "name", "value": session values
	holeGlobalVars   = 'X' // a subquery of "name", "value": server values
)

// hole returns the text of a hole.
func hole(kind byte, name string) string {
	return string(holeMark) + string(kind) + name + string(holeMark)
}

// fill replaces the holes of text with the session's values.
func (t *Translator) fill(text string, s *SessionInfo) (string, error) {
	if strings.IndexByte(text, holeMark) < 0 {
		return text, nil
	}
	var b strings.Builder
	b.Grow(len(text) + 32)
	for {
		i := strings.IndexByte(text, holeMark)
		if i < 0 {
			b.WriteString(text)
			return b.String(), nil
		}
		j := strings.IndexByte(text[i+1:], holeMark) + i + 1
		if j <= i+1 {
			return "", &Error{Code: 1105, SQLState: "HY000", Message: "internal error: malformed translation"}
		}
		b.WriteString(text[:i])
		if err := t.fillHole(&b, text[i+1], text[i+2:j], s); err != nil {
			return "", err
		}
		text = text[j+1:]
	}
}

// fillHole writes the value of one hole.
func (t *Translator) fillHole(b *strings.Builder, kind byte, name string, s *SessionInfo) error {
	switch kind {
	case holeLastInsertID:
		b.WriteString(strconv.FormatUint(s.LastInsertID, 10))
	case holeFoundRows:
		b.WriteString(strconv.FormatInt(s.FoundRows, 10))
	case holeRowCount:
		b.WriteString(strconv.FormatInt(s.RowCount, 10))
	case holeConnectionID:
		b.WriteString(strconv.FormatUint(s.ConnectionID, 10))
	case holeUser:
		writeValue(b, s.User)
	case holeSessionVar:
		v, err := t.sessionValue(name, s)
		if err != nil {
			return err
		}
		writeValue(b, v)
	case holeGlobalVar:
		v, ok := t.globalValue(name)
		if !ok {
			return errUnknownSystemVariable(name)
		}
		writeValue(b, v)
	case holeUserVar:
		writeValue(b, s.UserVars[name])
	case holeDatabases:
		writeDatabases(b, s)
	case holeVariables, holeGlobalVars:
		t.writeVariables(b, s, kind == holeGlobalVars)
	}
	return nil
}

// writeDatabases writes a subquery listing the databases in a column "name".
func writeDatabases(b *strings.Builder, s *SessionInfo) {
	var names []string
	if s.Databases != nil {
		names = s.Databases()
	} else if s.Database != "" {
		names = []string{s.Database}
	}
	if len(names) == 0 {
		b.WriteString(`(SELECT NULL AS "name" WHERE 0)`)
		return
	}
	b.WriteString("(")
	for i, n := range names {
		if i > 0 {
			b.WriteString(" UNION ALL ")
		}
		b.WriteString("SELECT ")
		writeValue(b, n)
		b.WriteString(` AS "name"`)
	}
	b.WriteString(")")
}

// writeVariables writes a subquery listing the system variables in columns
// "name" and "value", as SHOW VARIABLES shows them.
func (t *Translator) writeVariables(b *strings.Builder, s *SessionInfo, global bool) {
	b.WriteString("(")
	for i, n := range t.variableNames() {
		v, _ := t.globalValue(n)
		if sv, ok := s.Vars[n]; ok && !global {
			v = sv
		}
		if i > 0 {
			b.WriteString(" UNION ALL ")
		}
		b.WriteString("SELECT ")
		writeValue(b, n)
		b.WriteString(` AS "name", `)
		if v == nil {
			b.WriteString("''")
		} else {
			writeValue(b, showText(v))
		}
		b.WriteString(` AS "value"`)
	}
	b.WriteString(")")
}

// showText renders a variable's value as SHOW VARIABLES does (booleans ON/OFF
// are kept as stored: 1 or 0 for the ones Warren normalizes).
func showText(v engine.Value) string { return valueText(v) }

// writeValue writes v as a SQLite literal.
func writeValue(b *strings.Builder, v engine.Value) {
	switch x := v.(type) {
	case nil:
		b.WriteString("NULL")
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case uint64:
		b.WriteString(strconv.FormatUint(x, 10))
	case int:
		b.WriteString(strconv.Itoa(x))
	case float64:
		b.WriteString(sqlFloat(x))
	case bool:
		if x {
			b.WriteString("1")
		} else {
			b.WriteString("0")
		}
	case []byte:
		writeBlob(b, x)
	default:
		writeString(b, valueText(v))
	}
}

// formatFloat renders a float so SQLite reads it back as a REAL.
func formatFloat(f float64) string {
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEnN") {
		s += ".0"
	}
	return s
}
