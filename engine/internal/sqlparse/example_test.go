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
