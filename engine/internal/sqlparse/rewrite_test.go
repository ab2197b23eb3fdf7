package sqlparse

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/rqlite/sql"
)

// idRecorder is an IDFunc that hands out 1001, 1011, ... (slot 1 of 10) and
// records how it was called.
type idRecorder struct {
	calls []int
	err   error
}

func (r *idRecorder) ids(rows int) (int64, int64, error) {
	r.calls = append(r.calls, rows)
	return 1001, 10, r.err
}

var (
	tableT     = Target{IDCol: "id", Columns: []string{"id", "a", "b"}}
	tableRowid = Target{IDCol: "rowid", Columns: []string{"a", "b"}}
)

func TestRewriteInsert(t *testing.T) {
	tests := []struct {
		name   string
		sql    string
		target Target
		want   string
		rows   int // argument ids must get; 0 means ids must not be called
	}{
		{"column list without id", "INSERT INTO t(a,b) VALUES (1,2),(3,4)", tableT,
			`INSERT INTO t("id", a,b) VALUES (1001, 1,2),(1011, 3,4)`, 2},
		{"no column list, NULL id", "INSERT INTO t VALUES (NULL,'x',2)", tableT,
			"INSERT INTO t VALUES (1001,'x',2)", 1},
		{"parameter id", "INSERT INTO t(id,a) VALUES (?,?)", tableT,
			"INSERT INTO t(id,a) VALUES (coalesce(?, 1001),?)", 1},
		{"mixed rows", "INSERT INTO t(a, id) VALUES ('l', 5), ('n', NULL), ('e', 2+3), ('p', (NULL)), ('m', -7)", tableT,
			"INSERT INTO t(a, id) VALUES ('l', 5), ('n', 1001), ('e', coalesce(2+3, 1011)), ('p', 1021), ('m', -7)", 3},
		{"all literal ids", "INSERT INTO t(id, a) VALUES (1, 'x'), (-2, 'y'), ('3', 'z');", tableT,
			"INSERT INTO t(id, a) VALUES (1, 'x'), (-2, 'y'), ('3', 'z');", 0},
		{"id column case and quotes", `INSERT INTO t("ID", a) VALUES (:id, 1)`, tableT,
			`INSERT INTO t("ID", a) VALUES (coalesce(:id, 1001), 1)`, 1},
		{"rowid alias names the id", "INSERT INTO t(oid, a) VALUES ($x, 1)", tableT,
			"INSERT INTO t(oid, a) VALUES (coalesce($x, 1001), 1)", 1},
		{"real column named like a rowid alias", "INSERT INTO u(oid) VALUES (1)", Target{IDCol: "id", Columns: []string{"id", "oid"}},
			`INSERT INTO u("id", oid) VALUES (1001, 1)`, 1},
		{"default values", "INSERT INTO t DEFAULT VALUES RETURNING id", tableT,
			`INSERT INTO t ("id") VALUES (1001) RETURNING id`, 1},
		{"rowid table without column list", "INSERT INTO r VALUES (?, ?)", tableRowid,
			`INSERT INTO r("rowid", "a", "b") VALUES (1001, ?, ?)`, 1},
		{"rowid table with column list", "INSERT INTO r(b) VALUES (1)", tableRowid,
			`INSERT INTO r("rowid", b) VALUES (1001, 1)`, 1},
		{"rowid given", "INSERT INTO r(_ROWID_, a) VALUES (?1, ?2)", tableRowid,
			"INSERT INTO r(_ROWID_, a) VALUES (coalesce(?1, 1001), ?2)", 1},
		{"odd id column name", "INSERT INTO w(v) VALUES (1)", Target{IDCol: `we"ird`},
			`INSERT INTO w("we""ird", v) VALUES (1001, 1)`, 1},
		{"alias", "INSERT INTO t AS x(a) VALUES (1) ON CONFLICT DO NOTHING", tableT,
			`INSERT INTO t AS x("id", a) VALUES (1001, 1) ON CONFLICT DO NOTHING`, 1},
		{"schema", "INSERT INTO main.t(a) VALUES (1)", tableT,
			`INSERT INTO main.t("id", a) VALUES (1001, 1)`, 1},
		{"schema without column list", `INSERT INTO "main" . t VALUES (NULL, 1, 2)`, tableT,
			`INSERT INTO "main" . t VALUES (1001, 1, 2)`, 1},
		{"conflict clauses survive",
			"WITH c AS (SELECT 1) INSERT OR IGNORE INTO t(a) VALUES (?) ON CONFLICT(a) DO UPDATE SET b = excluded.b WHERE b IS NULL RETURNING id, a",
			tableT,
			`WITH c AS (SELECT 1) INSERT OR IGNORE INTO t("id", a) VALUES (1001, ?) ON CONFLICT(a) DO UPDATE SET b = excluded.b WHERE b IS NULL RETURNING id, a`, 1},
		{"replace", "REPLACE INTO t(a) VALUES (1)", tableT, `REPLACE INTO t("id", a) VALUES (1001, 1)`, 1},
		{"parameters and comments survive",
			"/* lead */ INSERT INTO t(a, b) -- cols\nVALUES (?, ?3 /* third */), (:n, @m), ($v, ?); -- end", tableT,
			"/* lead */ INSERT INTO t(\"id\", a, b) -- cols\nVALUES (1001, ?, ?3 /* third */), (1011, :n, @m), (1021, $v, ?); -- end", 3},
		{"unicode before splice points", "INSERT INTO t(a) VALUES ('é'), (/* ü */ 'ß')", tableT,
			`INSERT INTO t("id", a) VALUES (1001, 'é'), (1011, /* ü */ 'ß')`, 2},
		{"select without id", "INSERT INTO t(a, b) SELECT x, y FROM s ORDER BY x -- end", tableT,
			`INSERT INTO t("id", a, b) SELECT 1001 + (row_number() OVER () - 1) * 10, * FROM (SELECT x, y FROM s ORDER BY x) WHERE true -- end`,
			UnknownRows},
		{"select with id", "INSERT INTO t SELECT * FROM s WHERE true ON CONFLICT DO NOTHING RETURNING id", tableT,
			"INSERT INTO t SELECT coalesce(c1, 1001 + (row_number() OVER () - 1) * 10), c2, c3 FROM " +
				"(SELECT NULL AS c1, NULL AS c2, NULL AS c3 WHERE 0 UNION ALL SELECT * FROM (SELECT * FROM s WHERE true)) WHERE true " +
				"ON CONFLICT DO NOTHING RETURNING id", UnknownRows},
		{"select into rowid table", "INSERT INTO r SELECT x, y FROM s", tableRowid,
			`INSERT INTO r("rowid", "a", "b") SELECT 1001 + (row_number() OVER () - 1) * 10, * FROM (SELECT x, y FROM s) WHERE true`,
			UnknownRows},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &idRecorder{}
			got, changed, err := RewriteInsert(tt.sql, tt.target, rec.ids)
			if err != nil {
				t.Fatalf("RewriteInsert(%q): %v", tt.sql, err)
			}
			if got != tt.want || changed != (tt.want != tt.sql) {
				t.Errorf("RewriteInsert(%q)\n got %s, %v\nwant %s", tt.sql, got, changed, tt.want)
			}
			if !equalInts(rec.calls, wantCalls(tt.rows)) {
				t.Errorf("ids calls = %v, want %v", rec.calls, wantCalls(tt.rows))
			}
			// MintIDs without IDParams, and with it for INSERT ... SELECT,
			// writes the same literals.
			literal := tt.target
			literal.IDParams = tt.rows == UnknownRows
			checkMintIDs(t, tt.sql, literal, tt.want, tt.rows, 0)
		})
	}
}

// checkMintIDs checks MintIDs, and a Cache's MintIDs called twice, against
// the rewrite want, the number of rows the IDFunc must be asked for (0: not
// called) and the number of id parameters.
func checkMintIDs(t *testing.T, sql string, target Target, want string, rows, params int) {
	t.Helper()
	wantRW := Rewrite{SQL: want, Changed: want != sql, IDParams: params}
	if rows != 0 {
		wantRW.Base, wantRW.Stride = 1001, 10
	}
	cache := NewCache(8)
	for i, mint := range []func(string, Target, IDFunc) (Rewrite, error){MintIDs, cache.MintIDs, cache.MintIDs} {
		rec := &idRecorder{}
		got, err := mint(sql, target, rec.ids)
		if err != nil {
			t.Fatalf("MintIDs #%d(%q): %v", i, sql, err)
		}
		if got != wantRW {
			t.Errorf("MintIDs #%d(%q)\n got %+v\nwant %+v", i, sql, got, wantRW)
		}
		if !equalInts(rec.calls, wantCalls(rows)) {
			t.Errorf("MintIDs #%d: ids calls = %v, want %v", i, rec.calls, wantCalls(rows))
		}
		client, ids := splitIDParams(t, got.SQL, got.IDParams)
		if want := paramTokens(t, sql); !reflect.DeepEqual(client, want) {
			t.Errorf("MintIDs #%d: parameters %q, want %q", i, client, want)
		}
		if !isIDParamRun(ids, got.IDParams) {
			t.Errorf("MintIDs #%d: id parameters %q for IDParams %d", i, ids, got.IDParams)
		}
	}
}

// wantCalls returns the calls an idRecorder must see for rows (0: none).
func wantCalls(rows int) []int {
	if rows == 0 {
		return nil
	}
	return []int{rows}
}

func TestRewriteInsert_Errors(t *testing.T) {
	errBoom := errors.New("boom")
	tests := []struct {
		name   string
		sql    string
		target Target
		ids    IDFunc
		want   error  // for errors.Is, or nil
		text   string // substring of the message
	}{
		{"not an insert", "UPDATE t SET a = 1", tableT, nil, ErrNotInsert, "UPDATE"},
		{"unparseable", "INSERT INTO `t`(a) VALUES (1)", tableT, nil, ErrNotSupported, "statement not supported for automatic ids: "},
		{"insert with select cte", "INSERT INTO t(a) WITH x AS (SELECT 1) SELECT * FROM x", tableT, nil, ErrNotSupported, "automatic ids"},
		{"empty", " ; ", tableT, nil, ErrEmpty, ""},
		{"two statements", "INSERT INTO t(a) VALUES (1); SELECT 1", tableT, nil, ErrMultiple, ""},
		{"no id column", "INSERT INTO t(a) VALUES (1)", Target{}, nil, nil, "no id column"},
		{"columns unknown", "INSERT INTO t VALUES (1, 2, 3)", Target{IDCol: "id"}, nil, nil, "columns are unknown"},
		{"id not a column", "INSERT INTO t VALUES (1, 2)", Target{IDCol: "id", Columns: []string{"a", "b"}}, nil, nil, `id column "id" is not among`},
		{"too few values", "INSERT INTO t VALUES (NULL, 2)", tableT, nil, nil, "2 values for 3 columns"},
		{"ids fails", "INSERT INTO t(a) VALUES (1)", tableT, (&idRecorder{err: errBoom}).ids, errBoom, "reserve ids"},
		{"no ids function", "INSERT INTO t(a) VALUES (1)", tableT, nil, nil, "no id function"},
		{"zero stride", "INSERT INTO t(a) VALUES (1)", tableT, func(int) (int64, int64, error) { return 1, 0, nil }, nil, "not positive"},
		{"overflow", "INSERT INTO t(a) VALUES (1), (2)", tableT, func(int) (int64, int64, error) { return math.MaxInt64 - 5, 10, nil }, nil, "overflow"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i, rewrite := range allRewrites() {
				got, err := rewrite(tt.sql, tt.target, tt.ids)
				if err == nil {
					t.Fatalf("rewrite #%d(%q) = %q; want an error", i, tt.sql, got)
				}
				if tt.want != nil && !errors.Is(err, tt.want) {
					t.Errorf("error %v is not %v", err, tt.want)
				}
				if !strings.Contains(err.Error(), tt.text) {
					t.Errorf("error %q does not contain %q", err, tt.text)
				}
			}
		})
	}
}

// allRewrites returns every way to rewrite an INSERT: RewriteInsert and
// MintIDs, without a cache, with a new one and with a warm one, in both modes.
func allRewrites() []func(string, Target, IDFunc) (string, error) {
	var out []func(string, Target, IDFunc) (string, error)
	warm := NewCache(8)
	for _, rewrite := range []func(string, Target, IDFunc) (string, bool, error){RewriteInsert, NewCache(8).RewriteInsert, warm.RewriteInsert} {
		out = append(out, func(sql string, t Target, ids IDFunc) (string, error) {
			s, _, err := rewrite(sql, t, ids)
			return s, err
		})
	}
	for _, mint := range []func(string, Target, IDFunc) (Rewrite, error){MintIDs, NewCache(8).MintIDs, warm.MintIDs} {
		for _, params := range []bool{false, true} {
			out = append(out, func(sql string, t Target, ids IDFunc) (string, error) {
				t.IDParams = params
				r, err := mint(sql, t, ids)
				return r.SQL, err
			})
		}
	}
	return out
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestRqliteString_KeepsParameters records that rqlite/sql renders every
// parameter form as written. RewriteInsert does not depend on it (it splices
// the original text rather than rendering the AST), but anything that renders
// statements with String() does.
func TestRqliteString_KeepsParameters(t *testing.T) {
	const in = "INSERT INTO t(a, b, c, d, e, f) VALUES (?, ?3, :n, @m, $v, ?)"
	stmt, err := parseStatement(in)
	if err != nil {
		t.Fatal(err)
	}
	out := stmt.(*sql.InsertStatement).String()
	if got, want := paramTokens(t, out), paramTokens(t, in); !reflect.DeepEqual(got, want) {
		t.Errorf("String() = %q: parameters %q, want %q", out, got, want)
	}
}
