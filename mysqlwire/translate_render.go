package mysqlwire

import (
	"slices"
	"strconv"
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"
)

// Markers the renderer writes into SQLite text and finish resolves before a
// plan is cached: a client parameter (paramMark, its 1-based number,
// paramMark) and the plan's database as a string literal (dbMark). Holes
// (holeMark) survive into the cache; see translate_template.go.
const (
	paramMark = '\x01'
	dbMark    = '\x02'
)

// renderer writes the SQLite text of one MySQL statement. Errors are sticky:
// fail records the first, and rendering carries on harmlessly until the
// caller checks r.err.
type renderer struct {
	t    *Translator
	src  string // the MySQL statement
	db   string // the session's current database (part of the cache key)
	cfr  bool   // CLIENT_FOUND_ROWS (part of the cache key)
	b    *strings.Builder
	err  error
	hole bool // some text has holes

	dbs         map[string]bool // databases named by qualified tables
	unqualified bool            // some table is named without a database
	ctes        []string        // names of common table expressions in scope
	schemaHint  string          // the value of a TABLE_SCHEMA = '...' condition
	infoSchema  bool            // the statement reads information_schema
	infoCatalog bool            // ... tables that describe one database's catalog

	topExprs *sqlparser.SelectExprs // the select list the client sees
	topTexts []string               // its expressions as the client wrote them

	onDup    bool   // rendering ON DUPLICATE KEY UPDATE: VALUES(c) is excluded.c
	rowAlias string // INSERT ... AS alias: alias.c is excluded.c
}

func newRenderer(t *Translator, src string, s *SessionInfo) *renderer {
	return &renderer{t: t, src: src, db: s.Database, cfr: s.ClientFoundRows, b: &strings.Builder{}, dbs: map[string]bool{}}
}

// fail records err unless an error is already recorded.
func (r *renderer) fail(err *Error) {
	if r.err == nil {
		r.err = err
	}
}

func (r *renderer) w(s string) { r.b.WriteString(s) }
func (r *renderer) wb(c byte)  { r.b.WriteByte(c) }
func (r *renderer) ident(n string) {
	r.checkName(n)
	r.w(quoteIdent(n))
}

// checkName refuses names holding the bytes the renderer uses as markers.
func (r *renderer) checkName(n string) string {
	if strings.ContainsAny(n, "\x00\x01\x02") {
		r.fail(errParse("identifier contains a control character"))
		return ""
	}
	return n
}

// capture renders with fn into a fresh buffer and returns the text.
func (r *renderer) capture(fn func()) string {
	saved := r.b
	r.b = &strings.Builder{}
	fn()
	out := r.b.String()
	r.b = saved
	return out
}

// holeText writes a hole and remembers that the text needs filling.
func (r *renderer) holeText(kind byte, name string) {
	r.hole = true
	r.w(hole(kind, name))
}

// param writes client parameter n (1-based).
func (r *renderer) param(n int) {
	r.wb(paramMark)
	r.w(strconv.Itoa(n))
	r.wb(paramMark)
}

// argument writes a placeholder. The parser names the k-th ? "vk"; other
// names come from :name syntax, which MySQL does not have.
func (r *renderer) argument(a *sqlparser.Argument) {
	n, err := strconv.Atoi(strings.TrimPrefix(a.Name, "v"))
	if err != nil || !strings.HasPrefix(a.Name, "v") || n < 1 {
		r.fail(errParse("near ':" + a.Name + "'"))
		return
	}
	r.param(n)
}

// finish resolves the markers of text: dbMark becomes the plan's database,
// and parameters become ? when each appears once and in order. When the
// translation repeats parameters but first uses them in order they become
// named :pN (SQLite numbers a name once, by first appearance, so positional
// binding still works, also next to the engine's own id parameters);
// otherwise ?NNN. It returns the highest parameter number used.
func finish(text, db string) (string, int) {
	if strings.IndexByte(text, dbMark) >= 0 {
		text = strings.ReplaceAll(text, string(dbMark), sqlString(db))
	}
	if strings.IndexByte(text, paramMark) < 0 {
		return text, 0
	}
	parts := strings.Split(text, string(paramMark)) // text, number, text, number, ..., text
	seq := paramSequence(parts)
	once, ordered := paramOrder(seq)
	var b strings.Builder
	b.Grow(len(text) + 2*len(seq))
	for i, p := range parts {
		switch {
		case i%2 == 0:
			b.WriteString(p)
		case once && ordered:
			b.WriteByte('?')
		case ordered:
			b.WriteString(":p" + p)
		default:
			b.WriteString("?" + p)
		}
	}
	return b.String(), slices.Max(seq)
}

// paramSequence returns the parameter numbers of split text in order.
func paramSequence(parts []string) []int {
	seq := make([]int, 0, len(parts)/2)
	for i := 1; i < len(parts); i += 2 {
		n, _ := strconv.Atoi(parts[i])
		seq = append(seq, n)
	}
	return seq
}

// paramOrder reports whether each parameter appears once, and whether the
// first appearances are 1, 2, 3... in order.
func paramOrder(seq []int) (once, ordered bool) {
	once, ordered = true, true
	next := 1
	for _, n := range seq {
		switch {
		case n == next:
			next++
		case n < next:
			once = false
		default:
			ordered = false
		}
	}
	return once, ordered
}

// paramsOrdered reports whether the parameters of unfinished text are first
// used in the client's order.
func paramsOrdered(text string) bool {
	_, ordered := paramOrder(paramSequence(strings.Split(text, string(paramMark))))
	return ordered
}

// tableName writes a table name, dropping (and remembering) its database.
func (r *renderer) tableName(tn sqlparser.TableName) {
	r.noteDatabase(tn)
	r.ident(tn.Name.String())
}

// noteDatabase records which database a table reference names.
func (r *renderer) noteDatabase(tn sqlparser.TableName) {
	if q := tn.Qualifier.String(); q != "" {
		r.dbs[q] = true
		return
	}
	if !r.isCTE(tn.Name.String()) {
		r.unqualified = true
	}
}

func (r *renderer) isCTE(name string) bool {
	for _, c := range r.ctes {
		if strings.EqualFold(c, name) {
			return true
		}
	}
	return false
}

// planDatabase decides the database the statement runs in: the one its
// tables name, or the current one. Tables of two databases are refused.
func (r *renderer) planDatabase() (string, *Error) {
	set := map[string]bool{}
	for d := range r.dbs {
		set[d] = true
	}
	if r.unqualified {
		if r.db == "" {
			return "", errNoDatabase()
		}
		set[r.db] = true
	}
	if r.infoSchema {
		set[r.infoSchemaDB()] = true
	}
	delete(set, "")
	switch {
	case len(set) == 0 && r.infoCatalog && r.db == "":
		return "", errNoDatabase()
	case len(set) == 0:
		return r.db, nil
	case len(set) == 1:
		for d := range set {
			return d, nil
		}
	}
	return "", errNotSupported("statements that use tables of several databases")
}

// infoSchemaDB is the database whose tables information_schema shows.
func (r *renderer) infoSchemaDB() string {
	if r.schemaHint != "" && !isSystemSchema(r.schemaHint) {
		return r.schemaHint
	}
	return r.db
}

// isSystemSchema reports MySQL's own schemas, which hold no Warren tables.
func isSystemSchema(name string) bool {
	switch strings.ToLower(name) {
	case "information_schema", "mysql", "performance_schema", "sys":
		return true
	}
	return false
}
