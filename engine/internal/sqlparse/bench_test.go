package sqlparse

import "testing"

func BenchmarkCache_Analyze(b *testing.B) {
	c := NewCache(0)
	const sql = "SELECT id, name, email FROM users WHERE id = ? AND deleted_at IS NULL"
	if _, err := c.Analyze(sql); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Analyze(sql); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAnalyze_Uncached(b *testing.B) {
	const sql = "SELECT id, name, email FROM users WHERE id = ? AND deleted_at IS NULL"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Analyze(sql); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCache_RewriteInsert(b *testing.B) {
	c := NewCache(0)
	const sql = "INSERT INTO users(name, email) VALUES (?, ?)"
	target := Target{IDCol: "id", Columns: []string{"id", "name", "email"}}
	ids := func(int) (int64, int64, error) { return 1001, 10, nil }
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := c.RewriteInsert(sql, target, ids); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRewriteInsert_Uncached(b *testing.B) {
	const sql = "INSERT INTO users(name, email) VALUES (?, ?)"
	target := Target{IDCol: "id", Columns: []string{"id", "name", "email"}}
	ids := func(int) (int64, int64, error) { return 1001, 10, nil }
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := RewriteInsert(sql, target, ids); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCache_MintIDsParams is the engine's common INSERT with id
// parameters: after the first call only the IDFunc runs.
func BenchmarkCache_MintIDsParams(b *testing.B) {
	c := NewCache(0)
	const sql = "INSERT INTO users(name, email) VALUES (?, ?)"
	target := Target{IDCol: "id", Columns: []string{"id", "name", "email"}, IDParams: true}
	ids := func(int) (int64, int64, error) { return 1001, 10, nil }
	b.ReportAllocs()
	for b.Loop() {
		if r, err := c.MintIDs(sql, target, ids); err != nil || r.IDParams != 1 {
			b.Fatal(r, err)
		}
	}
}

func BenchmarkMintIDsParams_Uncached(b *testing.B) {
	const sql = "INSERT INTO users(name, email) VALUES (?, ?)"
	target := Target{IDCol: "id", Columns: []string{"id", "name", "email"}, IDParams: true}
	ids := func(int) (int64, int64, error) { return 1001, 10, nil }
	b.ReportAllocs()
	for b.Loop() {
		if r, err := MintIDs(sql, target, ids); err != nil || r.IDParams != 1 {
			b.Fatal(r, err)
		}
	}
}
