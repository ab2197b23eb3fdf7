package mysqlwire

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/warren-db/warren/engine"
)

// SQL cases as data: testdata/scripts/*.test and testdata/wordpress/*.test
// hold MySQL statements and what a client must see, in a sqllogictest-like
// format, so the same files can run through the translator and engine (here)
// and over the MySQL wire (the server's tests):
//
//	# a comment
//	statement ok            the statement succeeds
//	statement count 2       it succeeds and affects 2 rows
//	statement error 1235    it fails with MySQL error 1235 (or: statement error)
//	query                   it returns exactly these rows, in order
//	query unordered         ... in any order
//	query columns           ... and the first line after ---- is the column names
//
// The SQL follows on the next lines. A query's expected rows follow a ----
// line, one per line, values separated by " | ", NULL for NULL. A blank
// line ends a case (a line of spaces or tabs does not). An empty string is written (empty), and a newline
// inside a value \n.
type scriptCase struct {
	line      int
	kind      string // "ok", "count", "error", "query"
	sql       string
	count     int64
	errCode   uint16 // 0: any error
	unordered bool
	columns   []string
	rows      []string
}

// loadScript reads a script file.
func loadScript(path string) ([]scriptCase, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var cases []scriptCase
	var cur *scriptCase
	inRows, n := false, 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		n++
		line := sc.Text()
		switch {
		case cur == nil && (strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#")):
		case cur == nil:
			c, err := parseDirective(line, n)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %w", path, n, err)
			}
			cur, inRows = &c, false
		case line == "": // (lines of only blanks may be part of the SQL)
			cases, cur = append(cases, *cur), nil
		case line == "----":
			inRows = true
		case inRows && cur.columns == nil && cur.kind == "query-columns":
			cur.columns = splitRow(line)
		case inRows:
			cur.rows = append(cur.rows, line)
		default:
			cur.sql = strings.TrimPrefix(cur.sql+"\n"+line, "\n")
		}
	}
	if cur != nil {
		cases = append(cases, *cur)
	}
	for i := range cases {
		if cases[i].kind == "query-columns" {
			cases[i].kind = "query"
		}
	}
	return cases, sc.Err()
}

// parseDirective reads the first line of a case.
func parseDirective(line string, n int) (scriptCase, error) {
	f := strings.Fields(line)
	c := scriptCase{line: n}
	switch {
	case len(f) == 2 && f[0] == "statement" && f[1] == "ok":
		c.kind = "ok"
	case len(f) == 3 && f[0] == "statement" && f[1] == "count":
		v, err := strconv.ParseInt(f[2], 10, 64)
		c.kind, c.count = "count", v
		return c, err
	case len(f) >= 2 && f[0] == "statement" && f[1] == "error":
		c.kind = "error"
		if len(f) == 3 {
			v, err := strconv.ParseUint(f[2], 10, 16)
			c.errCode = uint16(v)
			return c, err
		}
	case f[0] == "query" && len(f) <= 2:
		c.kind = "query"
		if len(f) == 2 {
			switch f[1] {
			case "unordered":
				c.unordered = true
			case "columns":
				c.kind = "query-columns"
			default:
				return c, fmt.Errorf("unknown query option %q", f[1])
			}
		}
	default:
		return c, fmt.Errorf("unknown directive %q", line)
	}
	return c, nil
}

func splitRow(line string) []string {
	parts := strings.Split(line, " | ")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return parts
}

// formatRow renders a result row as the scripts write it.
func formatRow(row []engine.Value) string {
	parts := make([]string, len(row))
	for i, v := range row {
		switch x := v.(type) {
		case nil:
			parts[i] = "NULL"
		case float64:
			parts[i] = strconv.FormatFloat(x, 'g', -1, 64)
		case []byte:
			parts[i] = string(x)
		default:
			parts[i] = fmt.Sprint(x)
		}
		if parts[i] == "" {
			parts[i] = "(empty)"
		}
		parts[i] = strings.ReplaceAll(parts[i], "\n", `\n`)
	}
	return strings.Join(parts, " | ")
}

// checkCase runs one case and reports a mismatch.
func checkCase(r *planRunner, c scriptCase) error {
	res, err := r.run(c.sql)
	if c.kind == "error" {
		var me *Error
		switch {
		case err == nil:
			return fmt.Errorf("succeeded, want error %d", c.errCode)
		case c.errCode != 0 && (!errors.As(err, &me) || me.Code != c.errCode):
			return fmt.Errorf("error %v, want error %d", err, c.errCode)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("%w\n  sqlite: %s", err, planText(res.plan))
	}
	switch c.kind {
	case "count":
		if res.affected != c.count {
			return fmt.Errorf("affected %d rows, want %d\n  sqlite: %s", res.affected, c.count, planText(res.plan))
		}
	case "query":
		return compareRows(c, res)
	}
	return nil
}

func compareRows(c scriptCase, res result) error {
	if c.columns != nil && strings.Join(c.columns, " | ") != strings.Join(res.columns, " | ") {
		return fmt.Errorf("columns %q, want %q", res.columns, c.columns)
	}
	got := make([]string, len(res.rows))
	for i, row := range res.rows {
		got[i] = formatRow(row)
	}
	want := append([]string(nil), c.rows...)
	if c.unordered {
		sort.Strings(got)
		sort.Strings(want)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		return fmt.Errorf("rows:\n%s\nwant:\n%s\n  sqlite: %s", strings.Join(got, "\n"), strings.Join(want, "\n"), planText(res.plan))
	}
	return nil
}

// runScripts runs every script matching pattern, each on a fresh engine.
func runScripts(t *testing.T, pattern string) {
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts match %s (%v)", pattern, err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			cases, err := loadScript(file)
			if err != nil {
				t.Fatal(err)
			}
			r := newPlanRunner(t)
			for _, c := range cases {
				if err := checkCase(r, c); err != nil {
					t.Errorf("%s:%d: %s\n  %v", file, c.line, firstLine(c.sql), err)
				}
			}
		})
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " ..."
	}
	return s
}

// TestTranslate_Scripts runs the SQL cases in testdata/scripts through the
// translator and a real engine.
func TestTranslate_Scripts(t *testing.T) {
	runScripts(t, "testdata/scripts/*.test")
}
