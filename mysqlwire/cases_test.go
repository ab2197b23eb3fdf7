package mysqlwire

import (
	"bufio"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// wireCase is one case of testdata/wire_cases.txt.
type wireCase struct {
	name  string
	steps []wireStep
}

// wireStep is a statement and what it must give.
type wireStep struct {
	sql  string
	want []string // "ok", "ok N", "error N", "(empty)" or rows
	line int
}

// loadWireCases reads the case file.
func loadWireCases(t *testing.T, path string) []wireCase {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []wireCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "":
		case strings.HasPrefix(line, "=== "):
			cases = append(cases, wireCase{name: strings.TrimPrefix(line, "=== ")})
		case len(cases) == 0:
			t.Fatalf("%s:%d: text before the first case", path, n)
		case strings.HasPrefix(line, "> "):
			c := &cases[len(cases)-1]
			c.steps = append(c.steps, wireStep{sql: strings.TrimPrefix(line, "> "), line: n})
		default:
			c := &cases[len(cases)-1]
			if len(c.steps) == 0 {
				t.Fatalf("%s:%d: expectation before a statement", path, n)
			}
			s := &c.steps[len(c.steps)-1]
			s.want = append(s.want, line)
		}
	}
	return cases
}

// TestServer_WireCases runs the SQL cases through go-sql-driver, with the
// text protocol and with prepared statements.
func TestServer_WireCases(t *testing.T) {
	ts := startServer(t)
	admin := ts.admin("")
	cases := loadWireCases(t, "testdata/wire_cases.txt")
	for i, c := range cases {
		for _, prepared := range []bool{false, true} {
			mode := map[bool]string{false: "text", true: "prepared"}[prepared]
			t.Run(c.name+"/"+mode, func(t *testing.T) {
				dbName := fmt.Sprintf("case_%d_%s", i, mode)
				mustExec(t, admin, "CREATE DATABASE "+dbName)
				db := ts.open(adminUser, adminPass, dbName, "")
				db.SetMaxOpenConns(1) // one session, for transactions and variables
				for _, s := range c.steps {
					if got := runWireStep(db, s, prepared); strings.Join(got, "\n") != strings.Join(s.want, "\n") {
						t.Errorf("line %d: %s\ngot:\n%s\nwant:\n%s", s.line, s.sql, strings.Join(got, "\n"), strings.Join(s.want, "\n"))
					}
				}
			})
		}
	}
}

// runWireStep runs one statement and renders what it gave like the case file.
func runWireStep(db *sql.DB, s wireStep, prepared bool) []string {
	wantsRows := len(s.want) > 0 && !strings.HasPrefix(s.want[0], "ok") && !strings.HasPrefix(s.want[0], "error ")
	var st *sql.Stmt
	if prepared {
		var err error
		if st, err = db.Prepare(s.sql); err != nil {
			return []string{renderErr(err)}
		}
		defer st.Close()
	}
	if !wantsRows {
		var res sql.Result
		var err error
		if st != nil {
			res, err = st.Exec()
		} else {
			res, err = db.Exec(s.sql)
		}
		if err != nil {
			return []string{renderErr(err)}
		}
		if s.want[0] == "ok" {
			return []string{"ok"}
		}
		n, _ := res.RowsAffected()
		return []string{"ok " + strconv.FormatInt(n, 10)}
	}
	var rows *sql.Rows
	var err error
	if st != nil {
		rows, err = st.Query()
	} else {
		rows, err = db.Query(s.sql)
	}
	if err != nil {
		return []string{renderErr(err)}
	}
	if strings.HasPrefix(s.want[0], "types: ") {
		return append([]string{renderTypes(rows)}, renderRows(rows)...)
	}
	return renderRows(rows)
}

// renderTypes renders the column types the driver reports, as "types: A | B".
func renderTypes(rows *sql.Rows) string {
	cts, err := rows.ColumnTypes()
	if err != nil {
		return renderErr(err)
	}
	names := make([]string, len(cts))
	for i, ct := range cts {
		names[i] = ct.DatabaseTypeName()
	}
	return "types: " + strings.Join(names, " | ")
}

func renderErr(err error) string {
	if n, _ := errNumber(err); n != 0 {
		return fmt.Sprintf("error %d", n)
	}
	return "error: " + err.Error()
}

// renderRows renders rows as the case file writes them.
func renderRows(rows *sql.Rows) []string {
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return []string{renderErr(err)}
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = renderValue(v)
		}
		out = append(out, strings.Join(parts, " | "))
	}
	if err := rows.Err(); err != nil {
		return append(out, renderErr(err))
	}
	if len(out) == 0 {
		return []string{"(empty)"}
	}
	return out
}

func renderValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		return string(x)
	case float64:
		return string(appendDouble(nil, x))
	case float32:
		return string(appendDouble(nil, float64(x)))
	}
	return fmt.Sprint(v)
}
