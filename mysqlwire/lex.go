package mysqlwire

import (
	"strings"
)

// token is one lexical token of a MySQL statement, for the few statements
// the server reads itself (account management) and for the verb of a
// statement.
type token struct {
	kind byte   // 'w' word, 's' quoted string, 'i' backquoted identifier, or the punctuation byte
	text string // the word as written, or the unquoted text
	word string // for words: the word in upper case
}

// show renders the token for an error message.
func (t token) show() string {
	if t.kind == 'w' || t.kind == 's' || t.kind == 'i' {
		return t.text
	}
	return string(t.kind)
}

// lexMySQL splits sql into tokens, skipping whitespace and comments.
// ok is false for an unterminated string, identifier or comment.
func lexMySQL(sql string) (toks []token, ok bool) {
	lx := lexer{sql: sql}
	for {
		t, more, ok := lx.next()
		if !ok {
			return nil, false
		}
		if !more {
			return toks, true
		}
		toks = append(toks, t)
	}
}

// lexer yields the tokens of a statement one at a time.
type lexer struct {
	sql string
	pos int
}

// next returns the next token; more is false at the end, ok false on an
// unterminated string, identifier or comment.
func (lx *lexer) next() (t token, more, ok bool) {
	sql := lx.sql
	for lx.pos < len(sql) {
		i := lx.pos
		c := sql[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			lx.pos++
		case c == '#' || isDashComment(sql[i:]):
			j := strings.IndexByte(sql[i:], '\n')
			if j < 0 {
				lx.pos = len(sql)
				return token{}, false, true
			}
			lx.pos += j + 1
		case c == '/' && strings.HasPrefix(sql[i:], "/*"):
			j := strings.Index(sql[i+2:], "*/")
			if j < 0 {
				return token{}, false, false
			}
			lx.pos += j + 4
		case c == '\'' || c == '"' || c == '`':
			text, n, ok := lexQuoted(sql[i:])
			if !ok {
				return token{}, false, false
			}
			lx.pos += n
			if c == '`' {
				return token{kind: 'i', text: text}, true, true
			}
			return token{kind: 's', text: text}, true, true
		case isWordByte(c):
			j := i
			for j < len(sql) && isWordByte(sql[j]) {
				j++
			}
			lx.pos = j
			return token{kind: 'w', text: sql[i:j], word: strings.ToUpper(sql[i:j])}, true, true
		default:
			lx.pos++
			return token{kind: c}, true, true
		}
	}
	return token{}, false, true
}

// lexQuoted reads a quoted string or identifier at the start of s: doubled
// quotes, and backslash escapes in strings. It returns the text and the
// bytes read.
func lexQuoted(s string) (string, int, bool) {
	q := s[0]
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && q != '`' && i+1 < len(s):
			i++
			b.WriteByte(unescape(s[i]))
		case c == q && i+1 < len(s) && s[i+1] == q:
			i++
			b.WriteByte(q)
		case c == q:
			return b.String(), i + 1, true
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, false
}

// unescape returns the byte a backslash escape stands for.
func unescape(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 't':
		return '\t'
	case 'r':
		return '\r'
	case '0':
		return 0
	case 'Z':
		return 26
	case 'b':
		return '\b'
	}
	return c
}

// isDashComment reports whether s starts a "-- " comment: MySQL wants a
// space (or the end) after the dashes.
func isDashComment(s string) bool {
	if !strings.HasPrefix(s, "--") {
		return false
	}
	return len(s) == 2 || s[2] == ' ' || s[2] == '\t' || s[2] == '\n' || s[2] == '\r'
}

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// leadingWords returns the first n words of sql (upper case), skipping
// comments; fewer when the statement starts with something else. It reads
// no further than it needs.
func leadingWords(sql string, n int) []string {
	lx := lexer{sql: sql}
	var out []string
	for len(out) < n {
		t, more, ok := lx.next()
		if !ok || !more || t.kind != 'w' {
			break
		}
		out = append(out, t.word)
	}
	return out
}

// writePrivilege is the privilege a write statement needs, by its verb.
func writePrivilege(sql string) privilege {
	toks, _ := lexMySQL(sql)
	verb := ""
	if len(toks) > 0 && toks[0].kind == 'w' {
		verb = toks[0].word
	}
	switch verb {
	case "INSERT":
		if hasWords(toks, "DUPLICATE", "KEY", "UPDATE") {
			return privInsert | privUpdate
		}
		return privInsert
	case "REPLACE":
		return privInsert | privDelete
	case "UPDATE":
		return privUpdate
	case "DELETE":
		return privDelete
	}
	return privDML
}

// ddlPrivilege is the privilege a DDL statement needs, by its verb.
func ddlPrivilege(sql string) privilege {
	w := leadingWords(sql, 4)
	if len(w) == 0 {
		return privDDL
	}
	index := false
	for _, x := range w[1:] {
		index = index || x == "INDEX"
	}
	switch {
	case index && (w[0] == "CREATE" || w[0] == "DROP"):
		return privIndex
	case w[0] == "CREATE":
		return privCreate
	case w[0] == "DROP", w[0] == "TRUNCATE":
		return privDrop
	case w[0] == "ALTER":
		return privAlter
	case w[0] == "RENAME":
		return privAlter | privDrop | privCreate | privInsert
	}
	return privDDL
}

// hasWords reports whether the words appear in a row in toks.
func hasWords(toks []token, words ...string) bool {
	for i := 0; i+len(words) <= len(toks); i++ {
		match := true
		for j, w := range words {
			if toks[i+j].kind != 'w' || toks[i+j].word != w {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}
