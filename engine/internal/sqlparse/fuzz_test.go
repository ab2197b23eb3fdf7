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

// FuzzRewriteInsert checks that MintIDs never panics, in either mode, returns
// an unchanged statement verbatim, and otherwise keeps every parameter in
// order and yields one INSERT into the same table. With id parameters it
// checks that they run from IDParamName(0) in text order, that the text does
// not depend on the ids, and that a Cache, cold or warm, returns the same.
func FuzzRewriteInsert(f *testing.F) {
	for _, s := range fuzzSeeds {
		for _, b := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
			f.Add(s, b[0], b[1])
		}
	}
	f.Add("INSERT INTO t(a) VALUES (?) RETURNING ?2", false, true)
	f.Add("INSERT INTO t(a) VALUES (:__warren_id_0), (?)", true, true)
	f.Fuzz(func(t *testing.T, sql string, rowid, params bool) {
		target := tableT
		if rowid {
			target = tableRowid
		}
		target.IDParams = params
		rec := &idRecorder{}
		r, err := MintIDs(sql, target, rec.ids)
		checkCachedMintIDs(t, sql, target, r, err, rec.calls)
		if err != nil {
			return
		}
		if !r.Changed {
			if r.SQL != sql || r.IDParams != 0 {
				t.Fatalf("unchanged MintIDs(%q) = %+v", sql, r)
			}
			return
		}
		client, ids := splitIDParams(t, r.SQL, r.IDParams)
		if want := paramTokens(t, sql); !reflect.DeepEqual(client, want) {
			t.Fatalf("MintIDs(%q) = %q: parameters %q, want %q", sql, r.SQL, client, want)
		}
		if !isIDParamRun(ids, r.IDParams) || (r.IDParams > 0 && !params) {
			t.Fatalf("MintIDs(%q) = %+v: id parameters %q", sql, r, ids)
		}
		if params && r.IDParams > 0 {
			for _, p := range client {
				if (p[0] == '?' && len(p) > 1) || strings.Contains(strings.ToLower(p), "__warren_id_") {
					t.Fatalf("MintIDs(%q) = %+v: id parameters beside %s", sql, r, p)
				}
			}
			other, err := MintIDs(sql, target, func(int) (int64, int64, error) { return 7, 3, nil })
			if err != nil || other.SQL != r.SQL || other.IDParams != r.IDParams {
				t.Fatalf("MintIDs(%q) with other ids = %+v, %v; first %+v", sql, other, err, r)
			}
		}
		in, _ := Analyze(sql)
		info, err := Analyze(r.SQL)
		if err != nil || info.Kind != KindWrite || info.Table != in.Table {
			t.Fatalf("Analyze(MintIDs(%q) = %q) = %+v, %v", sql, r.SQL, info, err)
		}
	})
}

// checkCachedMintIDs checks that a new Cache's MintIDs, called twice, returns
// r and err and calls its IDFunc as MintIDs did (calls).
func checkCachedMintIDs(t *testing.T, sql string, target Target, r Rewrite, err error, calls []int) {
	c := NewCache(4)
	for i := range 2 {
		rec := &idRecorder{}
		got, cerr := c.MintIDs(sql, target, rec.ids)
		if got != r || (cerr == nil) != (err == nil) || !equalInts(rec.calls, calls) {
			t.Fatalf("Cache.MintIDs #%d(%q) = %+v, %v, ids calls %v; MintIDs = %+v, %v, %v", i, sql, got, cerr, rec.calls, r, err, calls)
		}
	}
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

// splitIDParams returns the parameters of sql in order, apart from the n id
// parameters (IDParamName(k) for k < n), which it returns separately.
func splitIDParams(t *testing.T, sql string, n int) (client, ids []string) {
	for _, p := range paramTokens(t, sql) {
		if isIDParam(p, n) {
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
