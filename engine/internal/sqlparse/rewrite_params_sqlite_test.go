package sqlparse

import (
	"strconv"
	"strings"
	"testing"
)

// TestMintIDs_ParamsSQLite runs statements rewritten with id parameters in a
// real SQLite, bound as the engine binds them (bindAsEngine): the client's
// positional values in order to the anonymous parameters, skipping the id
// parameters, which get their ids by name. Every value must land where the
// original statement put it. Ids come from idRecorder: 1001, 1011, 1021, ...
func TestMintIDs_ParamsSQLite(t *testing.T) {
	tests := []struct {
		name   string
		setup  string
		target Target
		stmt   string
		args   []string // the client's positional values
		named  []string // the client's named values, "name value"
		params int      // Rewrite.IDParams
		check  string   // query run after the statement
		want   string   // output of the statement (RETURNING) and check
	}{
		{"one row", "", paramsT,
			"INSERT INTO t(a, b) VALUES (?, ?)", []string{"'p'", "2"}, nil, 1,
			"SELECT * FROM t", "1001|p|2\n"},
		{"rows", "", paramsT,
			"INSERT INTO t(a, b) VALUES (?, ?), (?, ?), ('lit', ?)", []string{"'x'", "1", "'y'", "2", "3"}, nil, 3,
			"SELECT * FROM t ORDER BY id", "1001|x|1\n1011|y|2\n1021|lit|3\n"},
		{"NULL, literal and parameter ids", "", paramsT,
			"INSERT INTO t(id, a) VALUES (NULL, ?), (5, ?), (?, ?), (?, 'g')", []string{"'n'", "'five'", "NULL", "'p'", "9"}, nil, 3,
			"SELECT id, a FROM t ORDER BY id", "5|five\n9|g\n1001|n\n1011|p\n"},
		{"no column list, anonymous parameters after the id", "", paramsT,
			"INSERT INTO t VALUES (?, ?, ?), (?, ?, ?)", []string{"NULL", "'a'", "1", "7", "'b'", "2"}, nil, 2,
			"SELECT * FROM t ORDER BY id", "7|b|2\n1001|a|1\n"},
		{"rowid table without column list", "", paramsRowid,
			"INSERT INTO r VALUES (?, ?), (?, ?)", []string{"'x'", "1", "'y'", "2"}, nil, 2,
			"SELECT rowid, a, b FROM r ORDER BY rowid", "1001|x|1\n1011|y|2\n"},
		{"upsert that inserts", "", paramsT,
			"INSERT INTO t(a, b) VALUES (?, ?) ON CONFLICT(a) DO UPDATE SET b = ? RETURNING id, a, b", []string{"'z'", "1", "99"}, nil, 1,
			"SELECT count(*) FROM t", "1001|z|1\n1\n"},
		{"upsert that updates", "INSERT INTO t(id, a, b) VALUES (1, 'a', 0);", paramsT,
			"INSERT INTO t(a, b) VALUES (?, ?) ON CONFLICT(a) DO UPDATE SET b = ? RETURNING id, a, b", []string{"'a'", "1", "99"}, nil, 1,
			"SELECT count(*) FROM t", "1|a|99\n1\n"},
		{"upsert with a parameter id", "INSERT INTO t(id, a) VALUES (1, 'old');", paramsT,
			"INSERT INTO t(id, a) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET a = excluded.a || ? RETURNING id, a", []string{"NULL", "'new'", "'!'"}, nil, 1,
			"SELECT count(*) FROM t", "1001|new\n2\n"},
		{"named client parameters", "", paramsT,
			"INSERT INTO t(a, b) VALUES (:a, @b), ($c, @b)", nil, []string{":a 'x'", "@b 5", "$c 'y'"}, 2,
			"SELECT * FROM t ORDER BY id", "1001|x|5\n1011|y|5\n"},
		{"named and anonymous parameters", "", paramsT,
			"INSERT INTO t(a, b) VALUES (:a, ?), (?, :a)", []string{"4", "'r'"}, []string{":a 'q'"}, 2,
			"SELECT * FROM t ORDER BY id", "1001|q|4\n1011|r|q\n"},
		{"parameters in WITH and RETURNING", "", paramsT,
			"WITH c(x) AS (SELECT ?) INSERT INTO t(a, b) VALUES ((SELECT x FROM c), ?) RETURNING id, b + ?", []string{"'w'", "2", "40"}, nil, 1,
			"SELECT * FROM t", "1001|42\n1001|w|2\n"},
		{"default values with a RETURNING parameter", "CREATE TABLE d (id INTEGER PRIMARY KEY, a DEFAULT 'x');",
			Target{IDCol: "id", Columns: []string{"id", "a"}, IDParams: true},
			"INSERT INTO d DEFAULT VALUES RETURNING id, a, ?", []string{"'r'"}, nil, 1,
			"SELECT count(*) FROM d", "1001|x|r\n1\n"},
		{"insert or ignore", "INSERT INTO t(id, a) VALUES (1, 'a');", paramsT,
			"INSERT OR IGNORE INTO t(a) VALUES (?), (?)", []string{"'a'", "'z'"}, nil, 2,
			"SELECT id, a FROM t ORDER BY id", "1|a\n1011|z\n"},
		{"schema, alias and conflict clause", "", paramsT,
			"INSERT INTO main.t AS x(a) VALUES (?) ON CONFLICT DO NOTHING", []string{"'m'"}, nil, 1,
			"SELECT id, a FROM t", "1001|m\n"},
		{"comments", "", paramsT,
			"/* a */ INSERT INTO t(a /* c */) -- l\nVALUES (? -- v\n); -- end", []string{"'c'"}, nil, 1,
			"SELECT id, a FROM t", "1001|c\n"},
		{"numbered parameters keep literal ids", "", paramsT,
			"INSERT INTO t(a, b) VALUES (?2, ?1), (?1, ?2)", nil, []string{"?1 'p'", "?2 'q'"}, 0,
			"SELECT * FROM t ORDER BY id", "1001|q|p\n1011|p|q\n"},
		{"a numbered parameter after anonymous ones", "", paramsT,
			"INSERT INTO t(id, a, b) VALUES (?, ?, ?3)", []string{"NULL", "'a'"}, []string{"?3 5"}, 0,
			"SELECT * FROM t", "1001|a|5\n"},
		{"a client name like an id parameter", "", paramsT,
			"INSERT INTO t(a) VALUES (:__warren_id_0)", nil, []string{":__warren_id_0 'mine'"}, 0,
			"SELECT id, a FROM t", "1001|mine\n"},
		{"select keeps literal ids", "", paramsT,
			"INSERT INTO t(a, b) SELECT v, ? FROM s", []string{"3"}, nil, 0,
			"SELECT count(*), min(id), max(id), sum(b) FROM t", "3|1001|1021|9\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := MintIDs(tt.stmt, tt.target, (&idRecorder{}).ids)
			if err != nil {
				t.Fatalf("MintIDs(%q): %v", tt.stmt, err)
			}
			if r.IDParams != tt.params {
				t.Errorf("MintIDs(%q) = %+v, want %d id parameters", tt.stmt, r, tt.params)
			}
			script := sqliteSchema + tt.setup + "\n" + bindAsEngine(t, r, tt.args, tt.named) + r.SQL + "\n;\n" + tt.check + ";\n"
			if got := runSQLite(t, script); got != tt.want {
				t.Errorf("statement %s\n got %q\nwant %q", r.SQL, got, tt.want)
			}
		})
	}
}

// TestMintIDs_ParamsSQLiteReusesText runs one cached rewrite twice with
// different ids and values, as the engine reuses one prepared statement.
func TestMintIDs_ParamsSQLiteReusesText(t *testing.T) {
	const stmt = "INSERT INTO t(a, b) VALUES (?, ?), (?, ?) RETURNING id"
	cache := NewCache(8)
	var script strings.Builder
	script.WriteString(sqliteSchema)
	var first string
	for i, base := range []int64{1001, 2003} {
		ids := func(rows int) (int64, int64, error) { return base, 10, nil }
		r, err := cache.MintIDs(stmt, paramsT, ids)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = r.SQL
		} else if r.SQL != first {
			t.Fatalf("second rewrite %q, first %q", r.SQL, first)
		}
		v := []string{"'a" + string(rune('0'+i)) + "'", "1", "'b" + string(rune('0'+i)) + "'", "2"}
		script.WriteString(bindAsEngine(t, r, v, nil) + r.SQL + ";\n")
	}
	script.WriteString("SELECT * FROM t ORDER BY id;\n")
	want := "1001\n1011\n2003\n2013\n1001|a0|1\n1011|b0|2\n2003|a1|1\n2013|b1|2\n"
	if got := runSQLite(t, script.String()); got != want {
		t.Errorf("statement %s\n got %q\nwant %q", first, got, want)
	}
}

// TestMintIDs_ParamsLimits checks that id parameters are used only in texts
// up to MaxCachedLen long, that SQLite accepts the longest, and that a
// statement never exceeds SQLite's limit of 32766 parameters.
func TestMintIDs_ParamsLimits(t *testing.T) {
	n := (MaxCachedLen - len("INSERT INTO t(a) VALUES ")) / len("(?), ")
	rows := func(n int) string { return "INSERT INTO t(a) VALUES " + strings.Repeat("(?), ", n-1) + "(?) " }
	if len(rows(n)) > MaxCachedLen || len(rows(n+1)) <= MaxCachedLen {
		t.Fatalf("%d rows make %d bytes", n, len(rows(n)))
	}
	over, err := MintIDs(rows(n+1), paramsT, (&idRecorder{}).ids)
	if err != nil || over.IDParams != 0 || !strings.HasPrefix(over.SQL, `INSERT INTO t("id", a) VALUES (1001, ?)`) {
		t.Errorf("MintIDs(%d rows) = %.60q..., %d id parameters, %v", n+1, over.SQL, over.IDParams, err)
	}
	at, err := MintIDs(rows(n), paramsT, (&idRecorder{}).ids)
	if err != nil || at.IDParams != n {
		t.Fatalf("MintIDs(%d rows) = %d id parameters, %v", n, at.IDParams, err)
	}
	// Unbound ids are NULL, so SQLite numbers those rows itself.
	script := sqliteSchema + ".param set " + IDParamName(n-1) + " 99999\n" + at.SQL + ";\nSELECT count(*), max(id) FROM t;\n"
	if got, want := runSQLite(t, script), strconv.Itoa(n)+"|99999\n"; got != want {
		t.Errorf("%d rows: got %q, want %q", n, got, want)
	}
	fits := insertShape{params: maxVariables - 2, rows: make([]valuesRow, 2)}
	tooMany := insertShape{params: maxVariables - 1, rows: make([]valuesRow, 2)}
	if !fits.idParamsFit() || tooMany.idParamsFit() {
		t.Errorf("idParamsFit() = %v for 32764 parameters and 2 rows, %v for 32765", fits.idParamsFit(), tooMany.idParamsFit())
	}
}
