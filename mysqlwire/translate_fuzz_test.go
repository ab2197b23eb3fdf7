package mysqlwire

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzTranslate checks that Translate never panics, fails only with MySQL
// errors that are not internal, and never leaks its markers into SQL.
func FuzzTranslate(f *testing.F) {
	for _, seed := range fuzzSeeds(f) {
		f.Add(seed)
	}
	tr, err := NewTranslator(DefaultTranslatorConfig())
	if err != nil {
		f.Fatal(err)
	}
	s := SessionInfo{Database: "test", User: "u@h"}
	f.Fuzz(func(t *testing.T, sql string) {
		p, err := tr.Translate(sql, s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code == 1105 || len(e.SQLState) != 5 {
				t.Fatalf("Translate(%q): %v", sql, err)
			}
			return
		}
		texts := append([]string{p.SQL, p.FoundRowsSQL}, p.Statements...)
		for _, st := range p.Settings {
			texts = append(texts, st.SQL)
		}
		for _, text := range texts {
			if strings.ContainsAny(text, "\x00\x01\x02") {
				t.Fatalf("Translate(%q) left a marker in %q", sql, text)
			}
		}
	})
}

// fuzzSeeds returns every statement of the test scripts.
func fuzzSeeds(f *testing.F) []string {
	files, _ := filepath.Glob("testdata/*/*.test")
	var seeds []string
	for _, file := range files {
		cases, err := loadScript(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, c := range cases {
			seeds = append(seeds, c.sql)
		}
	}
	if data, err := os.ReadFile("testdata/wordpress/schema.sql"); err == nil {
		seeds = append(seeds, strings.Split(string(data), ";\n")...)
	}
	return seeds
}
