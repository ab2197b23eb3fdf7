package sqlparse

import (
	"strconv"
	"strings"
	"testing"
)

// sqliteParams returns the parameters of sql by the number SQLite gives them
// (index 0 is ?1): the name as sqlite3_bind_parameter_name reports it, or ""
// for an anonymous ?. Like SQLite's parser it numbers them in text order: ?
// takes the largest number so far plus one, ?NNN takes NNN, and a name takes
// the number of its first appearance or, at that, the largest plus one.
func sqliteParams(t *testing.T, sql string) []string {
	t.Helper()
	var names []string
	byName := map[string]int{}
	for _, p := range paramTokens(t, sql) {
		switch {
		case p == "?":
			names = append(names, "")
		case p[0] == '?':
			n, err := strconv.Atoi(p[1:])
			if err != nil || n < 1 {
				t.Fatalf("parameter %q", p)
			}
			for len(names) < n {
				names = append(names, "")
			}
			if names[n-1] == "" {
				names[n-1] = p
			}
		case byName[p] == 0:
			names = append(names, p)
			byName[p] = len(names)
		}
	}
	return names
}

// bindAsEngine renders sqlite3 shell commands that bind the parameters of
// r.SQL the way the engine does: the client's positional values args to the
// anonymous parameters in increasing order of number, skipping the id
// parameters, which get r.ID(k), and named client parameters (also ?NNN) by
// name from named ("?2 5", ":x 'a'"). A name is an id parameter only if it
// is IDParamName(k) for k < r.IDParams. Values are SQL literals. It fails the
// test unless every positional value is used.
func bindAsEngine(t *testing.T, r Rewrite, args []string, named []string) string {
	t.Helper()
	byName := map[string]string{}
	for _, kv := range named {
		name, value, _ := strings.Cut(kv, " ")
		byName[name] = value
	}
	var b strings.Builder
	next := 0
	for i, name := range sqliteParams(t, r.SQL) {
		var value string
		switch {
		case name == "" && next < len(args):
			value = args[next]
			next++
		case name == "":
			t.Fatalf("%s: parameter ?%d has no value in %q", r.SQL, i+1, args)
		case isIDParam(name, r.IDParams):
			k, _ := strconv.Atoi(strings.TrimPrefix(name, IDParamPrefix))
			value = strconv.FormatInt(r.ID(k), 10)
		default:
			v, ok := byName[name]
			if !ok {
				t.Fatalf("%s: no value for %s", r.SQL, name)
			}
			value = v
		}
		// Anonymous parameters are looked up as ?N by the shell.
		if name == "" {
			name = "?" + strconv.Itoa(i+1)
		}
		b.WriteString(".param set " + name + " " + value + "\n")
	}
	if next != len(args) {
		t.Fatalf("%s: %d positional values for %d anonymous parameters", r.SQL, len(args), next)
	}
	return b.String()
}

// isIDParam reports whether name is IDParamName(k) for some k < n.
func isIDParam(name string, n int) bool {
	for k := range n {
		if name == IDParamName(k) {
			return true
		}
	}
	return false
}

// TestSQLiteParams checks sqliteParams against the numbers SQLite gives: the
// shell binds ?N to the anonymous parameter N, so the query shows each
// parameter's number, or the value of its name.
func TestSQLiteParams(t *testing.T) {
	const query = "SELECT ?, :a, ?, ?5, :a, @b, ?, ?2, ?"
	want := []string{"", ":a", "", "", "?5", "@b", "", ""}
	if got := sqliteParams(t, query); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("sqliteParams = %q, want %q", got, want)
	}
	script := ".param set :a 'a'\n.param set @b 'b'\n"
	for n := 1; n <= 8; n++ {
		script += ".param set ?" + strconv.Itoa(n) + " " + strconv.Itoa(n) + "\n"
	}
	if got := runSQLite(t, script+query+";\n"); got != "1|a|3|5|a|b|7|a|8\n" {
		t.Errorf("SQLite numbers %q as %q", query, got)
	}
}
