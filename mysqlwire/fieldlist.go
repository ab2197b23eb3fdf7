package mysqlwire

import (
	"bytes"
	"strings"

	"github.com/warren-db/warren/engine"
)

// comFieldList is the deprecated COM_FIELD_LIST: the columns of a table of
// the current database (old clients use it for tab completion), with their
// defaults, as column definitions ending with an EOF.
func (s *session) comFieldList(body []byte) {
	table, wildcard, _ := bytes.Cut(body, []byte{0})
	if s.db == "" {
		s.writeError(errNoDatabase())
		return
	}
	if a := s.account(); a == nil || !a.privileges(s.db).has(privSelect) {
		s.writeError(s.denied(s.db, privSelect))
		return
	}
	ctx, done := s.command()
	defer done()
	rows, err := s.srv.eng.Query(ctx, s.db, engine.Statement{
		SQL:    `SELECT name, type, dflt_value FROM pragma_table_info(?) ORDER BY cid`,
		Params: engine.Params{Positional: []engine.Value{string(table)}},
	}, engine.QueryOptions{})
	if err != nil {
		s.writeError(err)
		return
	}
	if len(rows.Rows) == 0 || strings.HasPrefix(string(table), "__warren_") {
		s.writeError(sqlStatementError("no such table: "+string(table), s.db))
		return
	}
	pattern := strings.ToLower(string(bytes.TrimRight(wildcard, "\x00")))
	for _, r := range rows.Rows {
		name := textOf(r[0])
		if pattern != "" && !likeMatch(pattern, strings.ToLower(name)) {
			continue
		}
		c := declaredColumn(name, textOf(r[1]))
		if c.kind == kindNull {
			c = c.asText(valueClass{})
		}
		def := []byte{}
		if r[2] != nil {
			def = []byte(strings.Trim(textOf(r[2]), "'"))
		}
		s.send(appendColumnDef(s.begin(), &c, s.db, def))
	}
	s.writeEOF(false)
}
