package sqlparse

import "fmt"

// tokKind classifies a lexical token.
type tokKind uint8

const (
	tokWord   tokKind = iota + 1 // keyword or bare identifier
	tokQuoted                    // "ident", `ident` or [ident]
	tokString                    // 'text'
	tokNumber                    // 12, 1.5e3, 0x1F
	tokParam                     // ?, ?NNN, :name, @name, $name
	tokPunct                     // any other single byte: ; ( ) , . + ...
)

// token is one significant token; whitespace and comments are skipped.
type token struct {
	kind       tokKind
	start, end int // byte offsets into the source
}

// text returns the source text of t.
func (t token) text(src string) string { return src[t.start:t.end] }

// is reports whether t is the punctuation byte c.
func (t token) is(src string, c byte) bool {
	return t.kind == tokPunct && src[t.start] == c
}

// isWord reports whether t is the keyword kw (upper case), ignoring ASCII case.
func (t token) isWord(src string, kw string) bool {
	return t.kind == tokWord && equalFoldASCII(src[t.start:t.end], kw)
}

// lex splits src into significant tokens the way SQLite's tokenizer does.
// It fails only on unterminated strings and quoted identifiers.
func lex(src string) ([]token, error) {
	var toks []token
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case isSpace(c):
			i++
			continue
		case c == '-' && i+1 < len(src) && src[i+1] == '-':
			i = skipLineComment(src, i)
			continue
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			i = skipBlockComment(src, i)
			continue
		}
		t, err := scanToken(src, i)
		if err != nil {
			return nil, err
		}
		toks = append(toks, t)
		i = t.end
	}
	return toks, nil
}

// scanToken scans the significant token that starts at src[i].
func scanToken(src string, i int) (token, error) {
	c := src[i]
	switch {
	case c == '\'':
		return scanQuoted(src, i, '\'', tokString, "string literal")
	case c == '"':
		return scanQuoted(src, i, '"', tokQuoted, "quoted identifier")
	case c == '`':
		return scanQuoted(src, i, '`', tokQuoted, "quoted identifier")
	case c == '[':
		return scanBracket(src, i)
	case isIdentStart(c):
		return token{kind: tokWord, start: i, end: scanIdentChars(src, i+1)}, nil
	case isDigit(c) || (c == '.' && i+1 < len(src) && isDigit(src[i+1])):
		return token{kind: tokNumber, start: i, end: scanNumber(src, i)}, nil
	case c == '?':
		return token{kind: tokParam, start: i, end: scanDigits(src, i+1)}, nil
	case (c == ':' || c == '@' || c == '$') && i+1 < len(src) && isIdentChar(src[i+1]):
		return token{kind: tokParam, start: i, end: scanIdentChars(src, i+1)}, nil
	default:
		return token{kind: tokPunct, start: i, end: i + 1}, nil
	}
}

// scanQuoted scans a token enclosed in q, where a doubled q escapes itself.
func scanQuoted(src string, i int, q byte, kind tokKind, what string) (token, error) {
	for j := i + 1; j < len(src); j++ {
		if src[j] != q {
			continue
		}
		if j+1 < len(src) && src[j+1] == q {
			j++
			continue
		}
		return token{kind: kind, start: i, end: j + 1}, nil
	}
	return token{}, fmt.Errorf("scan statement: unterminated %s at offset %d", what, i)
}

// scanBracket scans an MS Access style [identifier], which has no escapes.
func scanBracket(src string, i int) (token, error) {
	for j := i + 1; j < len(src); j++ {
		if src[j] == ']' {
			return token{kind: tokQuoted, start: i, end: j + 1}, nil
		}
	}
	return token{}, fmt.Errorf("scan statement: unterminated quoted identifier at offset %d", i)
}

// scanNumber returns the end of the numeric literal starting at src[i]. It is
// generous (it also swallows malformed suffixes) because only token boundaries
// matter here, and a number never contains a quote, comment or ; ( ) , byte.
func scanNumber(src string, i int) int {
	hex := src[i] == '0' && i+1 < len(src) && (src[i+1] == 'x' || src[i+1] == 'X')
	j := i + 1
	for j < len(src) {
		c := src[j]
		switch {
		case isIdentChar(c) && c != '$', c == '.':
			j++
		case (c == '+' || c == '-') && !hex && (src[j-1] == 'e' || src[j-1] == 'E'):
			j++
		default:
			return j
		}
	}
	return j
}

// scanDigits returns the end of the run of digits starting at src[i].
func scanDigits(src string, i int) int {
	for i < len(src) && isDigit(src[i]) {
		i++
	}
	return i
}

// scanIdentChars returns the end of the run of identifier bytes starting at src[i].
func scanIdentChars(src string, i int) int {
	for i < len(src) && isIdentChar(src[i]) {
		i++
	}
	return i
}

// skipLineComment returns the offset just past the -- comment at src[i].
func skipLineComment(src string, i int) int {
	for i < len(src) && src[i] != '\n' {
		i++
	}
	return i
}

// skipBlockComment returns the offset just past the /* comment at src[i]. Like
// SQLite, it accepts a comment left open at the end of the input.
func skipBlockComment(src string, i int) int {
	for j := i + 2; j+1 < len(src); j++ {
		if src[j] == '*' && src[j+1] == '/' {
			return j + 2
		}
	}
	return len(src)
}

// isSpace reports whether c is whitespace to SQLite.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isIdentStart reports whether c may start a bare identifier. Like SQLite, every
// byte of a multi-byte UTF-8 sequence counts as an identifier byte.
func isIdentStart(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80
}

// isIdentChar reports whether c may continue a bare identifier.
func isIdentChar(c byte) bool { return isIdentStart(c) || isDigit(c) || c == '$' }

// equalFoldASCII reports whether a and b are equal ignoring ASCII case, which is
// how SQLite compares keywords and identifiers.
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
