package sqlparse

import "fmt"

// span is one statement as a range of token indexes [first, last), without the
// semicolon that ends it.
type span struct{ first, last int }

// Split splits a script into single statements, in order. Each statement is the
// original text from its first to its last token: the terminating semicolon and
// comments outside the statement are dropped, and empty statements are skipped.
// Split is lexical, so it accepts every SQLite statement, including ones
// rqlite/sql cannot parse; it respects strings, quoted identifiers, comments and
// the semicolons inside CREATE TRIGGER ... BEGIN ... END bodies. It fails only on
// an unterminated string or quoted identifier.
func Split(sql string) ([]string, error) {
	toks, err := lex(sql)
	if err != nil {
		return nil, fmt.Errorf("split statements: %w", err)
	}
	spans := statements(sql, toks)
	out := make([]string, 0, len(spans))
	for _, s := range spans {
		out = append(out, sql[toks[s.first].start:toks[s.last-1].end])
	}
	return out, nil
}

// statements returns the non-empty statements of a tokenized script.
func statements(src string, toks []token) []span {
	var out []span
	for first := 0; first < len(toks); {
		end := statementEnd(src, toks, first)
		if end > first {
			out = append(out, span{first, end})
		}
		first = end + 1
	}
	return out
}

// statementEnd returns the index of the semicolon that ends the statement
// starting at toks[first], or len(toks). Like sqlite3_complete, a trigger ends
// only at a semicolon that follows "; END".
func statementEnd(src string, toks []token, first int) int {
	trigger := startsTrigger(src, toks[first:])
	for i := first; i < len(toks); i++ {
		if !toks[i].is(src, ';') {
			continue
		}
		if !trigger || (i-first >= 2 && toks[i-1].isWord(src, "END") && toks[i-2].is(src, ';')) {
			return i
		}
	}
	return len(toks)
}

// startsTrigger reports whether toks begin [EXPLAIN [QUERY PLAN]] CREATE
// [TEMP|TEMPORARY] TRIGGER.
func startsTrigger(src string, toks []token) bool {
	i := skipExplain(src, toks)
	if i >= len(toks) || !toks[i].isWord(src, "CREATE") {
		return false
	}
	i++
	if i < len(toks) && (toks[i].isWord(src, "TEMP") || toks[i].isWord(src, "TEMPORARY")) {
		i++
	}
	return i < len(toks) && toks[i].isWord(src, "TRIGGER")
}

// skipExplain returns the index of the first token after a leading
// EXPLAIN [QUERY PLAN], or 0.
func skipExplain(src string, toks []token) int {
	if len(toks) == 0 || !toks[0].isWord(src, "EXPLAIN") {
		return 0
	}
	if len(toks) >= 3 && toks[1].isWord(src, "QUERY") && toks[2].isWord(src, "PLAN") {
		return 3
	}
	return 1
}
