package mysqlwire

import (
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"
)

// MySQL names an unaliased result column after the expression's text as the
// client wrote it ("COUNT(*)", not the parser's "count(*)"). selectTexts
// finds that text for the select list of a statement's first top-level
// SELECT with the parser's tokenizer; the renderer uses it for the columns
// of that SELECT.

// selectSeparators end a select expression at depth 0.
var selectEnds = map[int]bool{sqlparser.FROM: true, sqlparser.INTO: true, sqlparser.WHERE: true,
	sqlparser.GROUP: true, sqlparser.HAVING: true, sqlparser.WINDOW: true, sqlparser.ORDER: true,
	sqlparser.LIMIT: true, sqlparser.FOR: true, sqlparser.LOCK: true, sqlparser.UNION: true, ';': true}

// selectOptions may follow SELECT before the first expression.
var selectOptions = map[string]bool{"DISTINCT": true, "ALL": true, "DISTINCTROW": true, "HIGH_PRIORITY": true,
	"STRAIGHT_JOIN": true, "SQL_SMALL_RESULT": true, "SQL_BIG_RESULT": true, "SQL_BUFFER_RESULT": true,
	"SQL_NO_CACHE": true, "SQL_CACHE": true, "SQL_CALC_FOUND_ROWS": true}

// selectTexts returns the source text of each expression of the first
// top-level select list, or nil when it cannot tell.
func (t *Translator) selectTexts(sql string) []string {
	tok := t.parser.NewStringTokenizer(sql)
	depth, inList, options := 0, false, false
	start, end := -1, -1
	var texts []string
	for {
		before := tok.Pos
		typ, val := tok.Scan()
		switch {
		case typ == sqlparser.LEX_ERROR:
			return nil
		case typ == sqlparser.COMMENT:
			continue
		case !inList && typ == sqlparser.SELECT && depth == 0:
			inList, options = true, true
			continue
		case typ == '(':
			depth++
		case typ == ')':
			depth--
		}
		if !inList {
			if typ == 0 {
				return nil
			}
			continue
		}
		if options && selectOptions[strings.ToUpper(val)] {
			continue
		}
		options = false
		if depth == 0 && (typ == ',' || typ == 0 || selectEnds[typ]) {
			if start < 0 {
				return nil
			}
			texts = append(texts, sql[start:end])
			if typ != ',' {
				return texts
			}
			start = -1
			continue
		}
		if start < 0 {
			start = before + len(sql[before:]) - len(strings.TrimLeft(sql[before:], " \t\r\n"))
		}
		end = tok.Pos
	}
}

// topSelectExprs returns the select list whose columns the client sees.
func topSelectExprs(s sqlparser.TableStatement) *sqlparser.SelectExprs {
	for {
		switch x := s.(type) {
		case *sqlparser.Select:
			return x.SelectExprs
		case *sqlparser.Union:
			s = x.Left
		default:
			return nil
		}
	}
}
