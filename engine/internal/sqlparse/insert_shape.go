package sqlparse

import (
	"errors"
	"fmt"
	"sort"

	"github.com/rqlite/sql"
)

// valueKind says what an INSERT value is, as far as ids are concerned.
type valueKind uint8

const (
	valueExpr    valueKind = iota // anything whose value is only known when it runs
	valueNull                     // the literal NULL
	valueLiteral                  // a non-NULL literal, kept as the id
)

// valueSpan is one value of a VALUES row, in byte offsets into the caller's SQL.
type valueSpan struct {
	start, end int
	kind       valueKind
}

// valuesRow is one parenthesized row of a VALUES clause.
type valuesRow struct {
	open   int // byte offset just after "("
	close  int // byte offset of ")"
	values []valueSpan
}

// insertShape records where an INSERT can be spliced. Offsets are bytes into
// the caller's SQL, so a rewrite keeps every other byte as written.
type insertShape struct {
	columns    []string    // explicit column list; nil when absent
	colsOpen   int         // just after the column list's "(", when columns != nil
	colsClose  int         // at the column list's ")", when columns != nil
	nameEnd    int         // just after the table name or alias
	rows       []valuesRow // VALUES rows
	sel        [2]int      // INSERT ... SELECT: the SELECT's start and end
	deflt      [2]int      // DEFAULT VALUES: start and end of those two words
	source     insertSource
	params     int  // number of parameter tokens
	paramClash bool // id parameters could clash with the statement's own
	long       bool // the text is longer than MaxCachedLen
}

// insertSource is where an INSERT's rows come from.
type insertSource uint8

const (
	fromValues insertSource = iota
	fromSelect
	fromDefault
)

// errShape reports a disagreement between rqlite/sql positions and the lexer.
var errShape = errors.New("statement positions do not match its tokens")

// newInsertShape locates the splice points of ins. toks are the statement's
// tokens with offsets into src; off converts the parser's positions.
func newInsertShape(src string, toks []token, ins *sql.InsertStatement, off offsets) (*insertShape, error) {
	s := &insertShape{long: len(src) > MaxCachedLen}
	s.params, s.paramClash = scanParams(src, toks)
	name := ins.Table
	if ins.Alias != nil {
		name = ins.Alias
	}
	i, err := tokenAt(toks, off.byteAt(name.NamePos))
	if err != nil {
		return nil, err
	}
	s.nameEnd = toks[i].end
	if err := s.locateColumns(src, toks, ins, off); err != nil {
		return nil, err
	}
	switch {
	case ins.DefaultValues.IsValid():
		s.source, err = fromDefault, s.locateDefault(toks, ins, off)
	case ins.Select != nil:
		s.source, err = fromSelect, s.locateSelect(toks, ins, off)
	default:
		s.source, err = fromValues, s.locateRows(src, toks, ins, off)
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

// info returns the public description of the shape.
func (s *insertShape) info() *InsertInfo {
	rows := len(s.rows)
	switch s.source {
	case fromSelect:
		rows = UnknownRows
	case fromDefault:
		rows = 1
	}
	return &InsertInfo{Columns: s.columns, Rows: rows}
}

// locateColumns records the explicit column list, if any.
func (s *insertShape) locateColumns(src string, toks []token, ins *sql.InsertStatement, off offsets) error {
	if len(ins.Columns) == 0 {
		return nil
	}
	i, err := punctAt(src, toks, off.byteAt(ins.ColumnsLparen), '(')
	if err != nil {
		return err
	}
	s.colsOpen = toks[i].end
	j, err := punctAt(src, toks, off.byteAt(ins.ColumnsRparen), ')')
	if err != nil {
		return err
	}
	s.colsClose = toks[j].start
	s.columns = make([]string, len(ins.Columns))
	for j, c := range ins.Columns {
		s.columns[j] = c.Name
	}
	return nil
}

// locateDefault records the span of DEFAULT VALUES.
func (s *insertShape) locateDefault(toks []token, ins *sql.InsertStatement, off offsets) error {
	d, err := tokenAt(toks, off.byteAt(ins.Default))
	if err != nil {
		return err
	}
	v, err := tokenAt(toks, off.byteAt(ins.DefaultValues))
	if err != nil {
		return err
	}
	s.deflt = [2]int{toks[d].start, toks[v].end}
	return nil
}

// locateSelect records the span of the SELECT, which ends before an upsert or
// RETURNING clause.
func (s *insertShape) locateSelect(toks []token, ins *sql.InsertStatement, off offsets) error {
	first, err := tokenAt(toks, off.byteAt(ins.Select.Select))
	if err != nil {
		return err
	}
	end := len(toks)
	if ins.UpsertClause != nil {
		end, err = tokenAt(toks, off.byteAt(ins.UpsertClause.On))
	} else if ins.ReturningClause != nil {
		end, err = tokenAt(toks, off.byteAt(ins.ReturningClause.Returning))
	}
	if err != nil {
		return err
	}
	if end <= first {
		return errShape
	}
	s.sel = [2]int{toks[first].start, toks[end-1].end}
	return nil
}

// locateRows records every VALUES row and the span and kind of each value.
func (s *insertShape) locateRows(src string, toks []token, ins *sql.InsertStatement, off offsets) error {
	s.rows = make([]valuesRow, len(ins.ValueLists))
	for r, list := range ins.ValueLists {
		lp, err := punctAt(src, toks, off.byteAt(list.Lparen), '(')
		if err != nil {
			return err
		}
		rp, err := punctAt(src, toks, off.byteAt(list.Rparen), ')')
		if err != nil {
			return err
		}
		values, err := splitValues(src, toks, lp, rp, list.Exprs)
		if err != nil {
			return err
		}
		s.rows[r] = valuesRow{open: toks[lp].end, close: toks[rp].start, values: values}
	}
	return nil
}

// splitValues splits the tokens between toks[lp] and toks[rp] at top-level
// commas and pairs each piece with its parsed expression.
func splitValues(src string, toks []token, lp, rp int, exprs []sql.Expr) ([]valueSpan, error) {
	values := make([]valueSpan, 0, len(exprs))
	depth, first := 0, lp+1
	for i := lp + 1; i <= rp; i++ {
		switch {
		case toks[i].is(src, '('):
			depth++
		case toks[i].is(src, ')') && i < rp:
			depth--
		case (toks[i].is(src, ',') && depth == 0) || i == rp:
			if i == first || depth != 0 || len(values) == len(exprs) {
				return nil, errShape
			}
			kind := classifyValue(exprs[len(values)])
			values = append(values, valueSpan{start: toks[first].start, end: toks[i-1].end, kind: kind})
			first = i + 1
		}
	}
	if len(values) != len(exprs) {
		return nil, errShape
	}
	return values, nil
}

// classifyValue tells NULL and non-NULL literals from other expressions.
func classifyValue(e sql.Expr) valueKind {
	switch e := e.(type) {
	case *sql.NullLit:
		return valueNull
	case *sql.NumberLit, *sql.StringLit, *sql.BlobLit, *sql.BoolLit:
		return valueLiteral
	case *sql.UnaryExpr:
		if _, ok := e.X.(*sql.NumberLit); ok && (e.Op == sql.PLUS || e.Op == sql.MINUS) {
			return valueLiteral
		}
	case *sql.ParenExpr:
		return classifyValue(e.X)
	}
	return valueExpr
}

// tokenAt returns the index of the token that starts at byte offset at.
func tokenAt(toks []token, at int) (int, error) {
	i := sort.Search(len(toks), func(i int) bool { return toks[i].start >= at })
	if at < 0 || i == len(toks) || toks[i].start != at {
		return 0, fmt.Errorf("%w (offset %d)", errShape, at)
	}
	return i, nil
}

// punctAt is tokenAt for a token that must be the punctuation byte c.
func punctAt(src string, toks []token, at int, c byte) (int, error) {
	i, err := tokenAt(toks, at)
	if err == nil && !toks[i].is(src, c) {
		err = fmt.Errorf("%w (offset %d)", errShape, at)
	}
	return i, err
}
