package sqlparse

import "strings"

// cursor walks a statement's tokens for the lexical classifier.
type cursor struct {
	src  string
	toks []token
	i    int
}

// at reports whether the current token is one of the keywords kws.
func (c *cursor) at(kws ...string) bool {
	if c.i >= len(c.toks) {
		return false
	}
	for _, kw := range kws {
		if c.toks[c.i].isWord(c.src, kw) {
			return true
		}
	}
	return false
}

// accept advances past the current token if it is one of the keywords kws.
func (c *cursor) accept(kws ...string) bool {
	if c.at(kws...) {
		c.i++
		return true
	}
	return false
}

// keyword returns the current token in upper case if it is a word, and
// advances past it; it returns "" otherwise.
func (c *cursor) keyword() string {
	if c.i >= len(c.toks) || c.toks[c.i].kind != tokWord {
		return ""
	}
	c.i++
	return strings.ToUpper(c.toks[c.i-1].text(c.src))
}

// acceptIfExists skips IF NOT EXISTS or IF EXISTS.
func (c *cursor) acceptIfExists() {
	if c.accept("IF") {
		c.accept("NOT")
		c.accept("EXISTS")
	}
}

// name reads an optionally schema-qualified name, without quotes.
func (c *cursor) name() (schema, name string) {
	name = c.ident()
	if c.i < len(c.toks) && c.toks[c.i].is(c.src, '.') {
		c.i++
		schema, name = name, c.ident()
	}
	return schema, name
}

// ident reads one identifier, without quotes, or returns "" if the current
// token cannot be one.
func (c *cursor) ident() string {
	if c.i >= len(c.toks) {
		return ""
	}
	t := c.toks[c.i]
	switch t.kind {
	case tokWord, tokQuoted, tokString:
		c.i++
		return unquote(t.text(c.src))
	}
	return ""
}

// skipTo advances to the next top-level (outside parentheses) token that is
// one of the keywords kws, and reports whether it found one.
func (c *cursor) skipTo(kws ...string) bool {
	depth := 0
	for ; c.i < len(c.toks); c.i++ {
		switch t := c.toks[c.i]; {
		case t.is(c.src, '('):
			depth++
		case t.is(c.src, ')'):
			depth--
		case depth == 0 && c.at(kws...):
			return true
		}
	}
	return false
}

// unquote removes SQLite identifier or string quotes from s.
func unquote(s string) string {
	if len(s) < 2 {
		return s
	}
	switch q := s[0]; q {
	case '"', '`', '\'':
		return strings.ReplaceAll(s[1:len(s)-1], string([]byte{q, q}), string(q))
	case '[':
		return s[1 : len(s)-1]
	}
	return s
}
