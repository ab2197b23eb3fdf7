package mysqlwire

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestTranslate_WordPress creates WordPress's schema through the translator,
// checks that dbDelta would find nothing to change, and runs the corpus of
// WordPress core statements against the real engine.
func TestTranslate_WordPress(t *testing.T) {
	r := newPlanRunner(t)
	creates := loadWordPressSchema(t, r)
	t.Run("dbDelta", func(t *testing.T) {
		for _, c := range creates {
			checkDBDelta(t, r, c)
		}
	})
	t.Run("queries", func(t *testing.T) {
		cases, err := loadScript("testdata/wordpress/queries.test")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			if err := checkCase(r, c); err != nil {
				t.Errorf("testdata/wordpress/queries.test:%d: %s\n  %v", c.line, firstLine(c.sql), err)
			}
		}
	})
}

// loadWordPressSchema runs schema.sql and returns its CREATE TABLE texts.
func loadWordPressSchema(t *testing.T, r *planRunner) []string {
	t.Helper()
	data, err := os.ReadFile("testdata/wordpress/schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	stmts, err := r.tr.SplitStatements(string(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(stmts) != 18 {
		t.Fatalf("schema.sql has %d statements, want 18", len(stmts))
	}
	for _, s := range stmts {
		r.mustRun(s)
	}
	return stmts
}

// dbDelta's own regular expressions (wp-admin/includes/upgrade.php).
var (
	createTableName = regexp.MustCompile(`(?i)CREATE TABLE ([^ ]*)`)
	dbDeltaDefault  = regexp.MustCompile(`(?i) DEFAULT '(.*?)'`)
)

// checkDBDelta compares DESCRIBE and SHOW INDEX with a CREATE TABLE the way
// dbDelta() does: a difference would make WordPress issue ALTER TABLE
// statements on every upgrade.
func checkDBDelta(t *testing.T, r *planRunner, create string) {
	create = create[strings.Index(create, "CREATE TABLE"):]
	table := createTableName.FindStringSubmatch(create)[1]
	body := create[strings.Index(create, "(")+1 : strings.LastIndex(create, ")")]
	fields, indexes := map[string]string{}, map[string]bool{}
	for _, line := range strings.Split(body, "\n") {
		line = strings.TrimSuffix(strings.TrimSpace(line), ",")
		if line == "" {
			continue
		}
		word := strings.ToUpper(strings.Fields(line)[0])
		if word == "PRIMARY" || word == "KEY" || word == "UNIQUE" || word == "INDEX" {
			indexes[normalizeIndex(line)] = true
			continue
		}
		fields[strings.ToLower(strings.Trim(strings.Fields(line)[0], "`"))] = line
	}
	for _, row := range r.mustRun("DESCRIBE " + table).rows {
		field, typ, def := row[0].(string), row[1].(string), row[4]
		line, ok := fields[strings.ToLower(field)]
		if !ok {
			t.Errorf("%s: DESCRIBE shows %s, which the schema lacks", table, field)
			continue
		}
		delete(fields, strings.ToLower(field))
		m := regexp.MustCompile("(?i)`?" + regexp.QuoteMeta(field) + "`? ([^ ]*( unsigned)?)").FindStringSubmatch(line)
		if m == nil || m[1] != typ {
			t.Errorf("%s.%s: DESCRIBE type %q, schema %q: dbDelta would CHANGE COLUMN", table, field, typ, line)
		}
		if d := dbDeltaDefault.FindStringSubmatch(line); d != nil && fmt.Sprint(def) != d[1] {
			t.Errorf("%s.%s: DESCRIBE default %v, schema %q: dbDelta would SET DEFAULT", table, field, def, d[1])
		}
	}
	for f := range fields {
		t.Errorf("%s.%s: missing from DESCRIBE: dbDelta would ADD COLUMN", table, f)
	}
	for _, idx := range showIndexes(r, table) {
		if !indexes[idx] {
			t.Errorf("%s: SHOW INDEX gives %q, which the schema lacks: dbDelta would ADD it", table, idx)
		}
		delete(indexes, idx)
	}
	for idx := range indexes {
		t.Errorf("%s: schema index %q missing from SHOW INDEX", table, idx)
	}
}

// showIndexes rebuilds index definitions from SHOW INDEX as dbDelta does
// (without sub-parts): "PRIMARY KEY (`a`)", "UNIQUE KEY `n` (`a`,`b`)".
func showIndexes(r *planRunner, table string) []string {
	type index struct {
		unique bool
		cols   []string
	}
	byName := map[string]*index{}
	var order []string
	for _, row := range r.mustRun("SHOW INDEX FROM " + table + ";").rows {
		name := strings.ToLower(row[2].(string))
		if byName[name] == nil {
			byName[name] = &index{unique: row[1].(int64) == 0}
			order = append(order, name)
		}
		byName[name].cols = append(byName[name].cols, "`"+row[4].(string)+"`")
	}
	var out []string
	for _, name := range order {
		idx := byName[name]
		s := "KEY `" + name + "` "
		switch {
		case name == "primary":
			s = "PRIMARY KEY "
		case idx.unique:
			s = "UNIQUE " + s
		}
		out = append(out, s+"("+strings.Join(idx.cols, ",")+")")
	}
	sort.Strings(out)
	return out
}

// normalizeIndex writes a schema index line in showIndexes' form.
func normalizeIndex(line string) string {
	line = regexp.MustCompile(`\(\d+\)`).ReplaceAllString(line, "") // sub-parts
	open := strings.Index(line, "(")
	head, cols := strings.Fields(line[:open]), strings.Split(strings.Trim(line[open:], "() "), ",")
	for i, c := range cols {
		cols[i] = "`" + strings.Trim(strings.TrimSpace(c), "`") + "`"
	}
	list := "(" + strings.Join(cols, ",") + ")"
	switch strings.ToUpper(head[0]) {
	case "PRIMARY":
		return "PRIMARY KEY " + list
	case "UNIQUE":
		return "UNIQUE KEY `" + strings.ToLower(strings.Trim(head[len(head)-1], "`")) + "` " + list
	}
	return "KEY `" + strings.ToLower(strings.Trim(head[len(head)-1], "`")) + "` " + list
}
