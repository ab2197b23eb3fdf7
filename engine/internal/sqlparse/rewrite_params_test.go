package sqlparse

import (
	"reflect"
	"strings"
	"testing"
)

var (
	paramsT     = Target{IDCol: "id", Columns: []string{"id", "a", "b"}, IDParams: true}
	paramsRowid = Target{IDCol: "rowid", Columns: []string{"a", "b"}, IDParams: true}
)

func TestMintIDs_Params(t *testing.T) {
	tests := []struct {
		name   string
		sql    string
		target Target
		want   string
		rows   int // argument ids must get; 0 means ids must not be called
		params int // Rewrite.IDParams
	}{
		{"one row, id added last", "INSERT INTO t(a, b) VALUES (?, ?)", paramsT,
			`INSERT INTO t(a, b, "id") VALUES (?, ?, :__warren_id_0)`, 1, 1},
		{"rows", "INSERT INTO t(a,b) VALUES (1,2),(3,4)", paramsT,
			`INSERT INTO t(a,b, "id") VALUES (1,2, :__warren_id_0),(3,4, :__warren_id_1)`, 2, 2},
		{"no column list, NULL id", "INSERT INTO t VALUES (NULL,'x',2)", paramsT,
			"INSERT INTO t VALUES (:__warren_id_0,'x',2)", 1, 1},
		{"no column list, parameter id", "INSERT INTO t VALUES (?, ?, ?)", paramsT,
			"INSERT INTO t VALUES (coalesce(?, :__warren_id_0), ?, ?)", 1, 1},
		{"parameter id", "INSERT INTO t(id,a) VALUES (?,?)", paramsT,
			"INSERT INTO t(id,a) VALUES (coalesce(?, :__warren_id_0),?)", 1, 1},
		{"mixed rows", "INSERT INTO t(a, id) VALUES ('l', 5), ('n', NULL), ('e', 2+3), ('p', (NULL)), ('m', -7)", paramsT,
			"INSERT INTO t(a, id) VALUES ('l', 5), ('n', :__warren_id_0), ('e', coalesce(2+3, :__warren_id_1)), ('p', :__warren_id_2), ('m', -7)", 3, 3},
		{"all literal ids", "INSERT INTO t(id, a) VALUES (1, 'x'), (-2, 'y');", paramsT,
			"INSERT INTO t(id, a) VALUES (1, 'x'), (-2, 'y');", 0, 0},
		{"named parameters", "INSERT INTO t(a, b) VALUES (:a, @b), ($c, :a)", paramsT,
			`INSERT INTO t(a, b, "id") VALUES (:a, @b, :__warren_id_0), ($c, :a, :__warren_id_1)`, 2, 2},
		{"named id", `INSERT INTO t("ID", a) VALUES (:id, 1)`, paramsT,
			`INSERT INTO t("ID", a) VALUES (coalesce(:id, :__warren_id_0), 1)`, 1, 1},
		{"rowid alias names the id", "INSERT INTO t(oid, a) VALUES ($x, 1)", paramsT,
			"INSERT INTO t(oid, a) VALUES (coalesce($x, :__warren_id_0), 1)", 1, 1},
		{"rowid table without column list", "INSERT INTO r VALUES (?, ?), (?, ?)", paramsRowid,
			`INSERT INTO r("a", "b", "rowid") VALUES (?, ?, :__warren_id_0), (?, ?, :__warren_id_1)`, 2, 2},
		{"odd id column name", "INSERT INTO w(v) VALUES (1)", Target{IDCol: `we"ird`, IDParams: true},
			`INSERT INTO w(v, "we""ird") VALUES (1, :__warren_id_0)`, 1, 1},
		{"default values", "INSERT INTO t DEFAULT VALUES RETURNING id, ?", paramsT,
			`INSERT INTO t ("id") VALUES (:__warren_id_0) RETURNING id, ?`, 1, 1},
		{"upsert and returning", "INSERT INTO t(a) VALUES (?) ON CONFLICT(a) DO UPDATE SET b = ? RETURNING id, ?", paramsT,
			`INSERT INTO t(a, "id") VALUES (?, :__warren_id_0) ON CONFLICT(a) DO UPDATE SET b = ? RETURNING id, ?`, 1, 1},
		{"with, alias, or ignore",
			"WITH c AS (SELECT ?) INSERT OR IGNORE INTO main.t AS x(a) VALUES ((SELECT * FROM c)) ON CONFLICT DO NOTHING", paramsT,
			`WITH c AS (SELECT ?) INSERT OR IGNORE INTO main.t AS x(a, "id") VALUES ((SELECT * FROM c), :__warren_id_0) ON CONFLICT DO NOTHING`, 1, 1},
		{"replace", "REPLACE INTO t(a) VALUES (1)", paramsT, `REPLACE INTO t(a, "id") VALUES (1, :__warren_id_0)`, 1, 1},
		{"comments stay put", "/* a */ INSERT INTO t(a /* c */) -- l\nVALUES (? -- v\n);", paramsT,
			"/* a */ INSERT INTO t(a /* c */, \"id\") -- l\nVALUES (? -- v\n, :__warren_id_0);", 1, 1},
		{"unicode before splice points", "INSERT INTO t(a) VALUES ('é'), (/* ü */ 'ß')", paramsT,
			`INSERT INTO t(a, "id") VALUES ('é', :__warren_id_0), (/* ü */ 'ß', :__warren_id_1)`, 2, 2},
		{"numbered parameters keep literal ids", "INSERT INTO t(a, b) VALUES (?1, ?2)", paramsT,
			`INSERT INTO t("id", a, b) VALUES (1001, ?1, ?2)`, 1, 0},
		{"a numbered parameter anywhere keeps literal ids", "INSERT INTO t(id, a) VALUES (?, ?) RETURNING ?1", paramsT,
			"INSERT INTO t(id, a) VALUES (coalesce(?, 1001), ?) RETURNING ?1", 1, 0},
		{"a name like an id parameter keeps literal ids", "INSERT INTO t(a, b) VALUES (@__Warren_ID_0, 1)", paramsT,
			`INSERT INTO t("id", a, b) VALUES (1001, @__Warren_ID_0, 1)`, 1, 0},
		{"select keeps literal ids", "INSERT INTO t(a, b) SELECT x, ? FROM s", paramsT,
			`INSERT INTO t("id", a, b) SELECT 1001 + (row_number() OVER () - 1) * 10, * FROM (SELECT x, ? FROM s) WHERE true`,
			UnknownRows, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkMintIDs(t, tt.sql, tt.target, tt.want, tt.rows, tt.params)
		})
	}
}

// TestMintIDs_ParamsTextIsStable checks that a statement with id parameters
// is rewritten to the same text however its ids are reserved, with or
// without a cache, while each call still reserves its own ids.
func TestMintIDs_ParamsTextIsStable(t *testing.T) {
	const sql = "INSERT INTO t(a, b) VALUES (?, ?), (?, ?)"
	cache := NewCache(8)
	var texts []string
	for i, mint := range []func(string, Target, IDFunc) (Rewrite, error){MintIDs, cache.MintIDs, cache.MintIDs, MintIDs} {
		var calls []int
		base := int64(100 * (i + 1))
		ids := func(rows int) (int64, int64, error) { calls = append(calls, rows); return base, 7, nil }
		r, err := mint(sql, paramsT, ids)
		if err != nil {
			t.Fatal(err)
		}
		if r.IDParams != 2 || !r.Changed || r.ID(0) != base || r.ID(1) != base+7 || !equalInts(calls, []int{2}) {
			t.Errorf("call %d: %+v, ids calls %v", i, r, calls)
		}
		texts = append(texts, r.SQL)
	}
	for _, s := range texts[1:] {
		if s != texts[0] {
			t.Errorf("texts differ: %q", texts)
		}
	}
}

func TestIDParamName(t *testing.T) {
	if got := IDParamName(12); got != ":__warren_id_12" {
		t.Errorf("IDParamName(12) = %q", got)
	}
	r := Rewrite{Base: 35, Stride: 16}
	if r.ID(0) != 35 || r.ID(2) != 67 {
		t.Errorf("ID(0), ID(2) = %d, %d", r.ID(0), r.ID(2))
	}
}

// TestMintIDs_ParamsKeepRowNumbers checks that adding the id to a one-row
// INSERT leaves the numbers SQLite gives the statement's parameters as they
// were, the id parameter taking the next one: a caller that binds ?1, ?2, ...
// as numbered still binds the client's values right.
func TestMintIDs_ParamsKeepRowNumbers(t *testing.T) {
	for _, sql := range []string{
		"INSERT INTO t(a, b) VALUES (?, ?)",
		"INSERT INTO t(a, b) VALUES (?, :n)",
		"WITH c(x) AS (SELECT ?) INSERT INTO t(a, b) VALUES ((SELECT x FROM c), ?)",
		"INSERT INTO t(a) VALUES (?) ON CONFLICT DO NOTHING RETURNING id",
		"INSERT INTO r VALUES (?, ?)",
	} {
		target := paramsT
		if strings.Contains(sql, " r ") {
			target = paramsRowid
		}
		r, err := MintIDs(sql, target, (&idRecorder{}).ids)
		if err != nil {
			t.Fatalf("MintIDs(%q): %v", sql, err)
		}
		in, out := sqliteParams(t, sql), sqliteParams(t, r.SQL)
		want := append(in, IDParamName(0))
		if !reflect.DeepEqual(out, want) {
			t.Errorf("MintIDs(%q) = %q: parameters %q, want %q", sql, r.SQL, out, want)
		}
	}
}
