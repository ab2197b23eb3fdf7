package sqlparse

import (
	"fmt"
	"strings"
)

// infoFromTokens classifies a statement from its keywords, for statements
// rqlite/sql cannot parse. It fails only on an unknown leading keyword.
func infoFromTokens(src string, toks []token) (Info, error) {
	c := &cursor{src: src, toks: toks}
	if c.accept("EXPLAIN") {
		return Info{Kind: KindRead, Verb: "EXPLAIN", Explain: true}, nil
	}
	if c.accept("WITH") && !c.skipTo("SELECT", "VALUES", "INSERT", "REPLACE", "UPDATE", "DELETE") {
		return Info{}, fmt.Errorf("classify statement: %w: WITH without a statement", ErrSyntax)
	}
	switch verb := c.keyword(); verb {
	case "SELECT", "VALUES":
		return Info{Kind: KindRead, Verb: verb}, nil
	case "INSERT", "REPLACE", "UPDATE", "DELETE":
		return lexWrite(c, verb), nil
	case "CREATE", "DROP", "ALTER":
		return lexDDL(c, verb)
	case "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE":
		return lexTx(c, verb), nil
	case "PRAGMA":
		info := Info{Kind: KindPragma, Verb: verb}
		info.Schema, info.Object = c.name()
		return info, nil
	case "ATTACH", "DETACH", "VACUUM", "ANALYZE", "REINDEX":
		return Info{Kind: KindOther, Verb: verb}, nil
	default:
		return Info{}, fmt.Errorf("classify statement: %w: unknown statement %q", ErrSyntax, verb)
	}
}

// lexWrite classifies INSERT, REPLACE, UPDATE and DELETE after the verb.
func lexWrite(c *cursor, verb string) Info {
	info := Info{Kind: KindWrite, Verb: verb}
	if c.accept("OR") {
		c.keyword()
	}
	c.accept("INTO", "FROM")
	info.Schema, info.Table = c.name()
	info.Returning = c.skipTo("RETURNING")
	return info
}

// lexDDL classifies CREATE, DROP and ALTER after the verb.
func lexDDL(c *cursor, verb string) (Info, error) {
	info := Info{Kind: KindDDL}
	info.Temp = c.accept("TEMP", "TEMPORARY")
	c.accept("UNIQUE")
	object := c.keyword()
	if object == "VIRTUAL" && c.accept("TABLE") {
		object = "VIRTUAL TABLE"
	}
	switch object {
	case "TABLE", "VIRTUAL TABLE", "INDEX", "VIEW", "TRIGGER":
	default:
		return Info{}, fmt.Errorf("classify statement: %w: unknown statement %s %s", ErrSyntax, verb, object)
	}
	info.Verb = verb + " " + object
	c.acceptIfExists()
	info.Schema, info.Object = c.name()
	switch {
	case strings.HasSuffix(object, "TABLE"):
		info.Table = info.Object
	case verb == "CREATE" && (object == "INDEX" || object == "TRIGGER") && c.skipTo("ON"):
		c.i++
		_, info.Table = c.name()
	}
	info.Temp = info.Temp || strings.EqualFold(info.Schema, "temp")
	return info, nil
}

// lexTx classifies transaction control statements after the verb.
func lexTx(c *cursor, verb string) Info {
	info := Info{Kind: KindTx, Verb: verb}
	switch verb {
	case "END":
		info.Verb = "COMMIT"
	case "ROLLBACK":
		c.accept("TRANSACTION")
		if c.accept("TO") {
			c.accept("SAVEPOINT")
			info.Verb, info.Object = "ROLLBACK TO", c.ident()
		}
	case "SAVEPOINT":
		info.Object = c.ident()
	case "RELEASE":
		c.accept("SAVEPOINT")
		info.Object = c.ident()
	}
	return info
}
