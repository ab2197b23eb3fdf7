package sqlparse

import (
	"fmt"

	"github.com/rqlite/sql"
)

// analysis is everything learned about one statement text. It is immutable
// once built, so a Cache can share it between goroutines.
type analysis struct {
	info     Info
	insert   *insertShape // splice points of a parsed INSERT or REPLACE
	shapeErr error        // why insert is nil for a parsed INSERT or REPLACE
	parseErr error        // why rqlite/sql rejected the statement, if it did
}

// Analyze classifies one SQL statement, which may be surrounded by whitespace
// and comments and end with semicolons. It returns ErrEmpty for text without a
// statement, ErrMultiple for text with more than one (use Split), and
// ErrSyntax for text SQLite could not accept. A statement rqlite/sql cannot
// parse is still classified, from its keywords, with Info.Parsed false.
// Analyze does not cache; see Cache.
func Analyze(sql string) (Info, error) {
	a, err := analyze(sql)
	if err != nil {
		return Info{}, err
	}
	return a.info, nil
}

// analyze builds the analysis of src.
func analyze(src string) (*analysis, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, fmt.Errorf("analyze statement: %w: %w", ErrSyntax, err)
	}
	spans := statements(src, toks)
	switch {
	case len(spans) == 0:
		return nil, fmt.Errorf("analyze statement: %w", ErrEmpty)
	case len(spans) > 1:
		return nil, fmt.Errorf("analyze statement: %w", ErrMultiple)
	}
	toks = toks[spans[0].first:spans[0].last]
	start := toks[0].start
	text := src[start:toks[len(toks)-1].end]
	stmt, perr := parseStatement(text)
	if perr == nil {
		if info, ok := infoFromAST(stmt); ok {
			return parsedAnalysis(src, toks, stmt, info, newOffsets(text, start)), nil
		}
		perr = fmt.Errorf("parse statement: unknown statement type %T", stmt)
	}
	info, err := infoFromTokens(src, toks)
	if err != nil {
		return nil, fmt.Errorf("analyze statement: %w (%v)", err, perr)
	}
	if info.Schema != "" && (info.Verb == "INSERT" || info.Verb == "REPLACE") {
		if a, ok := analyzeUnqualified(src, toks, info); ok {
			return a, nil
		}
	}
	return &analysis{info: info, parseErr: perr}, nil
}

// parsedAnalysis completes the analysis of a statement rqlite/sql parsed.
func parsedAnalysis(src string, toks []token, stmt sql.Statement, info Info, off offsets) *analysis {
	a := &analysis{info: info}
	a.info.Parsed = true
	if ins, ok := stmt.(*sql.InsertStatement); ok {
		a.insert, a.shapeErr = newInsertShape(src, toks, ins, off)
		if a.shapeErr == nil {
			a.info.Insert = a.insert.info()
		}
	}
	return a
}
