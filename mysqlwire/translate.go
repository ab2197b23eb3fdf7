package mysqlwire

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/warren-db/warren/engine"
)

// TranslatorConfig configures a Translator. Start from DefaultTranslatorConfig.
type TranslatorConfig struct {
	// CacheSize is how many translations are kept (0 turns the cache off).
	// Statements longer than 8 KiB are never cached.
	CacheSize int
	// ServerVersion is what VERSION() and @@version return; the parser
	// honours /*!NNNNN ... */ comments up to its numeric prefix.
	ServerVersion string
	// Variables are server-wide values of system variables that override the
	// built-in defaults (port, hostname, auto_increment_increment and
	// auto_increment_offset for the node's id stride and slot, the default
	// warren_consistency, ...). Names are case-insensitive, without @@.
	Variables map[string]engine.Value
}

// DefaultTranslatorConfig returns the defaults: 4096 cached translations,
// server version "8.0.36-warren".
func DefaultTranslatorConfig() TranslatorConfig {
	return TranslatorConfig{CacheSize: 4096, ServerVersion: "8.0.36-warren"}
}

// Translator turns MySQL statements into Plans for the engine. It is safe
// for concurrent use; one Translator serves every connection.
type Translator struct {
	parser  *sqlparser.Parser
	cache   *planCache
	version string
	vars    map[string]engine.Value
}

// NewTranslator returns a Translator.
func NewTranslator(cfg TranslatorConfig) (*Translator, error) {
	if cfg.ServerVersion == "" {
		cfg.ServerVersion = DefaultTranslatorConfig().ServerVersion
	}
	p, err := sqlparser.New(sqlparser.Options{MySQLServerVersion: numericVersion(cfg.ServerVersion)})
	if err != nil {
		return nil, fmt.Errorf("create mysql parser: %w", err)
	}
	return &Translator{parser: p, cache: newPlanCache(cfg.CacheSize), version: cfg.ServerVersion,
		vars: mergeVars(cfg.ServerVersion, cfg.Variables)}, nil
}

// numericVersion returns the leading "x.y.z" of a version string.
func numericVersion(v string) string {
	end := strings.IndexFunc(v, func(c rune) bool { return (c < '0' || c > '9') && c != '.' })
	if end < 0 {
		end = len(v)
	}
	if end == 0 {
		return "8.0.36"
	}
	return v[:end]
}

// Translate turns one MySQL statement into what the server must do. sql
// must hold a single statement (see SplitStatements); s describes the
// session. Errors are *Error values carrying MySQL's error number and
// SQLSTATE. The returned Plan shares memory with the cache: do not modify it.
func (t *Translator) Translate(sql string, s SessionInfo) (Plan, error) {
	key := keyOf(sql, &s)
	c, ok := t.cache.get(key)
	if !ok {
		c = t.translate(sql, &s)
		t.cache.put(key, c)
	}
	if c.err != nil {
		return Plan{}, c.err
	}
	if !c.holes {
		return c.plan, nil
	}
	return t.fillPlan(c.plan, &s)
}

// fillPlan returns a copy of p with the session's values in its holes.
func (t *Translator) fillPlan(p Plan, s *SessionInfo) (Plan, error) {
	var err error
	if p.SQL, err = t.fill(p.SQL, s); err != nil {
		return Plan{}, err
	}
	if p.FoundRowsSQL, err = t.fill(p.FoundRowsSQL, s); err != nil {
		return Plan{}, err
	}
	settings := make([]Setting, len(p.Settings))
	copy(settings, p.Settings)
	for i := range settings {
		if settings[i].SQL, err = t.fill(settings[i].SQL, s); err != nil {
			return Plan{}, err
		}
	}
	p.Settings = settings
	return p, nil
}

// translate parses and translates a statement (the cache missed).
func (t *Translator) translate(sql string, s *SessionInfo) (c *cached) {
	defer func() {
		if v := recover(); v != nil {
			c = &cached{err: &Error{Code: 1105, SQLState: "HY000",
				Message: fmt.Sprintf("internal error translating statement: %v", v)}}
		}
	}()
	stmt, params, err := t.parse(sql)
	if err != nil {
		return &cached{err: err}
	}
	r := newRenderer(t, sql, s)
	plan := r.statement(stmt)
	if r.err != nil {
		return &cached{err: r.err}
	}
	plan.Params = params
	return &cached{plan: plan, holes: r.hole}
}

// parse parses one statement and counts its ? placeholders. The parser
// panics on a few malformed inputs: those are syntax errors too.
func (t *Translator) parse(sql string) (stmt sqlparser.Statement, params int, err error) {
	defer func() {
		if v := recover(); v != nil {
			stmt, params, err = nil, 0, errParse("near the end of the statement")
		}
	}()
	stmt, err = t.parser.ParseStrictDDL(sql)
	if err != nil {
		return nil, 0, parseError(err)
	}
	if ddl, ok := stmt.(sqlparser.DDLStatement); ok && !ddl.IsFullyParsed() {
		return nil, 0, errNotSupportedf("%s", firstWords(sql))
	}
	if db, ok := stmt.(sqlparser.DBDDLStatement); ok && !db.IsFullyParsed() {
		return nil, 0, errNotSupportedf("%s", firstWords(sql))
	}
	if strings.IndexByte(sql, ':') >= 0 {
		if err := t.checkPlaceholders(sql); err != nil {
			return nil, 0, err
		}
	}
	return stmt, countParams(stmt), nil
}

// countParams returns the number of ? placeholders: the parser names the
// k-th one "vk".
func countParams(stmt sqlparser.Statement) int {
	n := 0
	_ = sqlparser.Walk(func(node sqlparser.SQLNode) (bool, error) {
		if a, ok := node.(*sqlparser.Argument); ok && strings.HasPrefix(a.Name, "v") {
			if k, err := strconv.Atoi(a.Name[1:]); err == nil && k > n {
				n = k
			}
		}
		return true, nil
	}, stmt)
	return n
}

// parseError maps a parser error to MySQL's.
func parseError(err error) *Error {
	switch {
	case errors.Is(err, sqlparser.ErrEmpty):
		return errEmptyQuery()
	case errors.Is(err, sqlparser.ErrMultipleStatements):
		return errParse("send one statement at a time, or enable multi-statements")
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, "\n"); i >= 0 {
		msg = msg[i+1:]
	}
	return errParse(msg)
}

// checkPlaceholders refuses :name and ::name placeholders, which the parser
// accepts but MySQL does not.
func (t *Translator) checkPlaceholders(sql string) error {
	tok := t.parser.NewStringTokenizer(sql)
	for {
		typ, val := tok.Scan()
		switch {
		case typ == 0 || typ == sqlparser.LEX_ERROR:
			return nil
		case (typ == sqlparser.VALUE_ARG || typ == sqlparser.LIST_ARG) && (tok.Pos < 1 || sql[tok.Pos-1] != '?'):
			return errParse(fmt.Sprintf("near '%s'", val))
		}
	}
}

// firstWords returns the first words of a statement, for messages.
func firstWords(sql string) string {
	f := strings.Fields(sql)
	if len(f) > 3 {
		f = f[:3]
	}
	return strings.ToUpper(strings.Join(f, " "))
}

// SplitStatements splits the text of a multi-statement COM_QUERY into its
// statements, honouring quotes and comments. Empty statements are dropped.
func (t *Translator) SplitStatements(sql string) ([]string, error) {
	pieces, err := t.parser.SplitStatementToPieces(sql)
	if err != nil {
		return nil, parseError(err)
	}
	out := pieces[:0]
	for _, p := range pieces {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return out, nil
}
