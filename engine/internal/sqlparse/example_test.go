package sqlparse_test

import (
	"fmt"

	"github.com/warren-db/warren/engine/internal/sqlparse"
)

func Example() {
	cache := sqlparse.NewCache(0)
	const stmt = "INSERT INTO users(name) VALUES (?), (?) RETURNING id"

	info, err := cache.Analyze(stmt)
	if err != nil {
		panic(err)
	}
	fmt.Println(info.Kind, info.Verb, info.Table, info.Returning)

	// The node in slot 3 of 16 mints 3, 19, 35, ... above the table's max id.
	ids := func(rows int) (base, stride int64, err error) { return 35, 16, nil }
	target := sqlparse.Target{IDCol: "id", Columns: []string{"id", "name"}}
	out, changed, err := cache.RewriteInsert(stmt, target, ids)
	if err != nil {
		panic(err)
	}
	fmt.Println(changed, out)
	// Output:
	// write INSERT users true
	// true INSERT INTO users("id", name) VALUES (35, ?), (51, ?) RETURNING id
}

func ExampleCache_MintIDs() {
	cache := sqlparse.NewCache(0)
	const stmt = "INSERT INTO users(name) VALUES (?), (?) RETURNING id"
	target := sqlparse.Target{IDCol: "id", Columns: []string{"id", "name"}, IDParams: true}
	for _, base := range []int64{35, 67} {
		ids := func(rows int) (int64, int64, error) { return base, 16, nil }
		r, err := cache.MintIDs(stmt, target, ids)
		if err != nil {
			panic(err)
		}
		// The text is the same every time; the ids are bound by name.
		fmt.Println(r.SQL)
		for k := range r.IDParams {
			fmt.Println(" ", sqlparse.IDParamName(k), "=", r.ID(k))
		}
	}
	// Output:
	// INSERT INTO users(name, "id") VALUES (?, :__warren_id_0), (?, :__warren_id_1) RETURNING id
	//   :__warren_id_0 = 35
	//   :__warren_id_1 = 51
	// INSERT INTO users(name, "id") VALUES (?, :__warren_id_0), (?, :__warren_id_1) RETURNING id
	//   :__warren_id_0 = 67
	//   :__warren_id_1 = 83
}

func ExampleSplit() {
	stmts, err := sqlparse.Split(`CREATE TRIGGER t AFTER INSERT ON a BEGIN DELETE FROM b; END; SELECT ';'`)
	if err != nil {
		panic(err)
	}
	for _, s := range stmts {
		fmt.Println(s)
	}
	// Output:
	// CREATE TRIGGER t AFTER INSERT ON a BEGIN DELETE FROM b; END
	// SELECT ';'
}
