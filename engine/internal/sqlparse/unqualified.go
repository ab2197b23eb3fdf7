package sqlparse

import (
	"strings"

	"github.com/rqlite/sql"
)

// rqlite/sql does not accept a schema-qualified INSERT target (INSERT INTO
// main.t). Blanking "main." with spaces leaves every byte offset in place, so
// the statement can be parsed without it and still spliced in the original.

// analyzeUnqualified parses an INSERT whose target names a schema by blanking
// the schema. lexInfo is the lexical classification. It reports false if the
// statement still does not parse.
func analyzeUnqualified(src string, toks []token, lexInfo Info) (*analysis, bool) {
	i := insertTargetIndex(src, toks)
	if i < 0 || i+2 >= len(toks) || !toks[i+1].is(src, '.') {
		return nil, false
	}
	start, end := toks[0].start, toks[len(toks)-1].end
	masked := src[:toks[i].start] + strings.Repeat(" ", toks[i+1].end-toks[i].start) + src[toks[i+1].end:]
	stmt, err := parseStatement(masked[start:end])
	if err != nil {
		return nil, false
	}
	if _, ok := stmt.(*sql.InsertStatement); !ok {
		return nil, false
	}
	info, _ := infoFromAST(stmt)
	info.Schema = lexInfo.Schema
	return parsedAnalysis(src, toks, stmt, info, newOffsets(masked[start:end], start)), true
}

// insertTargetIndex returns the index of the first token of an INSERT or
// REPLACE statement's target name, or -1.
func insertTargetIndex(src string, toks []token) int {
	c := &cursor{src: src, toks: toks}
	if c.accept("WITH") && !c.skipTo("INSERT", "REPLACE") {
		return -1
	}
	switch c.keyword() {
	case "INSERT":
		if c.accept("OR") {
			c.keyword()
		}
	case "REPLACE":
	default:
		return -1
	}
	if !c.accept("INTO") {
		return -1
	}
	return c.i
}
