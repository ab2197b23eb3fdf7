package sqlparse

import (
	"reflect"
	"strings"
	"testing"
)

var fuzzSeeds = []string{
	"SELECT 1", "INSERT INTO t(a,b) VALUES (1,2),(3,4)", "INSERT INTO t VALUES (NULL,'x',?)",
	"INSERT INTO t(id,a) VALUES (?,?) ON CONFLICT(id) DO UPDATE SET a = excluded.a RETURNING *",
	"INSERT INTO t DEFAULT VALUES", "INSERT INTO main.t(a) SELECT v FROM s WHERE true ON CONFLICT DO NOTHING",
	"WITH x AS (SELECT 1) INSERT OR IGNORE INTO t SELECT * FROM x -- c", "REPLACE INTO r VALUES (?1, :a, @b, $c)",
	"CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT CASE WHEN 1 THEN 2 END; END; SELECT 2",
	"ATTACH 'x' AS y; DETACH y", "SELECT [a], `b`, \"c\" FROM t /* open", "INSERT INTO t(a) VALUES ('é', x'00', -1.5e3)",
	"EXPLAIN QUERY PLAN SELECT 1", "CREATE TEMP TABLE t(a)", "PRAGMA main.table_info(t)", "ROLLBACK TO sp", "",
}

// FuzzAnalyze checks that Analyze and Split never panic, that the cache
// returns what Analyze does, and that a statement analyzes the same alone as
// in its script.
func FuzzAnalyze(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		info, err := Analyze(sql)
		cached, cerr := NewCache(4).Analyze(sql)
		if (err == nil) != (cerr == nil) || stripInsert(info) != stripInsert(cached) {
			t.Fatalf("Cache.Analyze = %+v, %v; Analyze = %+v, %v", cached, cerr, info, err)
		}
		if err == nil && (info.Kind == KindUnknown || info.Verb == "") {
			t.Fatalf("Analyze(%q) = %+v without an error", sql, info)
		}
		stmts, serr := Split(sql)
		if serr != nil {
			return
		}
		again, err2 := Split(strings.Join(stmts, ";\n"))
		if err2 != nil || !reflect.DeepEqual(again, stmts) {
			t.Fatalf("Split(join(%q)) = %q, %v", stmts, again, err2)
		}
		if len(stmts) == 1 {
			alone, aerr := Analyze(stmts[0])
			if (err == nil) != (aerr == nil) || stripInsert(alone) != stripInsert(info) {
				t.Fatalf("Analyze(%q) = %+v, %v; in script %+v, %v", stmts[0], alone, aerr, info, err)
			}
		}
	})
}

// FuzzRewriteInsert checks that RewriteInsert never panics, returns an
// unchanged statement verbatim, and otherwise keeps every parameter in order
// and yields one INSERT into the same table.
func FuzzRewriteInsert(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, sql string, rowid bool) {
		target := tableT
		if rowid {
			target = tableRowid
		}
		out, changed, err := RewriteInsert(sql, target, (&idRecorder{}).ids)
		if err != nil {
			return
		}
		if !changed {
			if out != sql {
				t.Fatalf("unchanged RewriteInsert(%q) = %q", sql, out)
			}
			return
		}
		if got, want := paramTokens(t, out), paramTokens(t, sql); !reflect.DeepEqual(got, want) {
			t.Fatalf("RewriteInsert(%q) = %q: parameters %q, want %q", sql, out, got, want)
		}
		in, _ := Analyze(sql)
		info, err := Analyze(out)
		if err != nil || info.Kind != KindWrite || info.Table != in.Table {
			t.Fatalf("Analyze(RewriteInsert(%q) = %q) = %+v, %v", sql, out, info, err)
		}
	})
}

// paramTokens returns the parameters of sql in order.
func paramTokens(t *testing.T, sql string) []string {
	toks, err := lex(sql)
	if err != nil {
		t.Fatalf("lex(%q): %v", sql, err)
	}
	var params []string
	for _, tok := range toks {
		if tok.kind == tokParam {
			params = append(params, tok.text(sql))
		}
	}
	return params
}

func stripInsert(i Info) Info {
	i.Insert = nil
	return i
}

// splitIDParams returns the parameters of sql in order, apart from the id
// parameters (names starting with IDParamPrefix), which it returns separately.
func splitIDParams(t *testing.T, sql string) (client, ids []string) {
	for _, p := range paramTokens(t, sql) {
		if strings.HasPrefix(p, IDParamPrefix) {
			ids = append(ids, p)
		} else {
			client = append(client, p)
		}
	}
	return client, ids
}

// isIDParamRun reports whether ids are IDParamName(0) to IDParamName(n-1).
func isIDParamRun(ids []string, n int) bool {
	if len(ids) != n {
		return false
	}
	for k, p := range ids {
		if p != IDParamName(k) {
			return false
		}
	}
	return true
}
