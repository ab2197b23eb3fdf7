package engine

import (
	"context"
	"fmt"

	"github.com/warren-db/warren/engine/internal/sqlite3"
)

// TableSchema describes one user table as the change feed presents it.
type TableSchema struct {
	Name    string
	Columns []ColumnSchema
	Key     []string // primary-key columns in key order, or ["rowid"]
}

// ColumnSchema is one column of a table.
type ColumnSchema struct {
	Name     string
	DeclType string // as declared ("" when none)
	NotNull  bool
}

// Tables describes the user tables of db (Warren's own tables left out).
func (e *Engine) Tables(ctx context.Context, db string) (map[string]TableSchema, error) {
	out := map[string]TableSchema{}
	err := e.withReadTx(ctx, db, func(_ *DB, c *sqlite3.Conn) error {
		names, err := userTables(c)
		if err != nil {
			return err
		}
		for _, name := range names {
			ts, err := describeTable(c, name)
			if err != nil {
				return err
			}
			out[name] = ts
		}
		return nil
	})
	return out, err
}

func describeTable(c *sqlite3.Conn, table string) (TableSchema, error) {
	ti, err := loadTableInfo(c, table)
	if err != nil {
		return TableSchema{}, err
	}
	cols, err := queryAll(c, `SELECT name, type, "notnull" FROM pragma_table_xinfo(?) WHERE hidden IN (0, 2, 3) ORDER BY cid`, table)
	if err != nil {
		return TableSchema{}, fmt.Errorf("read columns of %s: %w", table, err)
	}
	ts := TableSchema{Name: table, Key: ti.Key}
	for _, r := range cols {
		ts.Columns = append(ts.Columns, ColumnSchema{Name: r[0].(string), DeclType: r[1].(string), NotNull: r[2].(int64) != 0})
	}
	return ts, nil
}
