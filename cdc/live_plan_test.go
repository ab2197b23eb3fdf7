package cdc

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

func TestPlanLive(t *testing.T) {
	for _, c := range []struct {
		sql         string
		incremental bool
		tables      string // sorted, "*" for every table
		where       string
	}{
		{"SELECT id, name FROM t WHERE a > ? ORDER BY name; -- done", true, "t", "a > ?"},
		{"select * from main.t as x where x.v = 'é' order by 1", true, "t", "x.v = 'é'"},
		{"SELECT a -- the a\nFROM t WHERE b = 1 -- trailing", true, "t", "b = 1 -- trailing"},
		{"SELECT lower(a), a + 1 FROM t", true, "t", ""},
		{"SELECT count(*) FROM t", false, "t", ""},
		{"SELECT max(a) FROM t WHERE b = 2", false, "t", ""},
		{"SELECT a, row_number() OVER (ORDER BY a) FROM t", false, "t", ""},
		{"SELECT DISTINCT a FROM t", false, "t", ""},
		{"SELECT a FROM t GROUP BY a", false, "t", ""},
		{"SELECT a FROM t ORDER BY a LIMIT 3", false, "t", ""},
		{"SELECT a FROM t JOIN u ON t.id = u.id", false, "t u", ""},
		{"SELECT a FROM t UNION SELECT a FROM u", false, "*", ""},
		{"SELECT a FROM t WHERE b IN (SELECT b FROM u)", false, "*", ""},
		{"WITH x AS (SELECT a FROM t) SELECT * FROM x", false, "*", ""},
		{"SELECT 1", false, "", ""},
	} {
		p, err := planLive(c.sql)
		if err != nil {
			t.Errorf("planLive(%q): %v", c.sql, err)
			continue
		}
		tables := "*"
		if p.tables != nil {
			tables = strings.Join(slices.Sorted(maps.Keys(p.tables)), " ")
		}
		got := fmt.Sprintf("%v %q %q", p.incremental, tables, strings.TrimSpace(p.where))
		if want := fmt.Sprintf("%v %q %q", c.incremental, c.tables, c.where); got != want {
			t.Errorf("planLive(%q) = %s, want %s", c.sql, got, want)
		}
	}
}
