package mysqlwire

import (
	"errors"
	"net"
	"testing"

	"github.com/warren-db/warren/engine"
)

func TestMySQLError(t *testing.T) {
	s := &session{db: "shop", log: quietLogger(), remote: &net.TCPAddr{}}
	cases := []struct {
		err   error
		code  uint16
		state string
		msg   string
	}{
		{engine.Errorf(engine.CodeSyntax, `near "SELEC": syntax error`), 1064, "42000", ""},
		{engine.Errorf(engine.CodeSQL, "no such table: items"), 1146, "42S02", "Table 'shop.items' doesn't exist"},
		{engine.Errorf(engine.CodeSQL, "no such column: nope"), 1054, "42S22", "Unknown column 'nope' in 'field list'"},
		{engine.Errorf(engine.CodeSQL, "table items already exists"), 1050, "42S01", "Table 'items' already exists"},
		{engine.Errorf(engine.CodeConstraint, "UNIQUE constraint failed: users.email"), 1062, "23000", "Duplicate entry for key 'users.email'"},
		{engine.Errorf(engine.CodeConstraint, "NOT NULL constraint failed: users.name"), 1048, "23000", "Column 'name' cannot be null"},
		{engine.Errorf(engine.CodeConstraint, "FOREIGN KEY constraint failed"), 1452, "23000", ""},
		{engine.Errorf(engine.CodeNotFound, `database "gone" not found`), 1049, "42000", "Unknown database 'gone'"},
		{engine.Errorf(engine.CodeBusy, "database is locked"), 1213, "40001", ""},
		{engine.Errorf(engine.CodeUnavailable, "quorum not reached"), 1213, "40001", ""},
		{engine.Errorf(engine.CodeTxNotFound, "transaction was rolled back after being idle too long"), 1213, "40001", ""},
		{engine.Errorf(engine.CodeTimeout, "statement interrupted"), 1205, "HY000", ""},
		{engine.Errorf(engine.CodeInvalid, "statement not supported for automatic ids"), 1235, "42000", ""},
		{engine.Errorf(engine.CodeTooLarge, "result has more than 10 rows"), 1104, "42000", ""},
		{&engine.Error{Code: engine.CodeTooLarge, Err: engine.ErrTransactionTooLarge, Message: "the transaction changes 40 MiB"}, 1197, "HY000", "the transaction changes 40 MiB"},
		{errParse("near 'x'"), 1064, "42000", ""},
		{errors.New("disk on fire"), 1105, "HY000", "internal error"},
	}
	for _, c := range cases {
		e := s.mysqlError(c.err)
		if e.Code != c.code || e.SQLState != c.state || (c.msg != "" && e.Message != c.msg) {
			t.Errorf("%v → %d %s %q, want %d %s %q", c.err, e.Code, e.SQLState, e.Message, c.code, c.state, c.msg)
		}
	}
}
