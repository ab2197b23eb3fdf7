package engine

import (
	"github.com/warren-db/warren/engine/internal/sqlite3"
)

// queryAll runs an internal statement with positional arguments and returns every row.
func queryAll(c *sqlite3.Conn, sql string, args ...any) ([][]Value, error) {
	s, err := c.Cached(sql)
	if err != nil {
		return nil, err
	}
	defer s.Release()
	for i, a := range args {
		if err := s.Bind(i+1, a); err != nil {
			return nil, err
		}
	}
	var out [][]Value
	n := s.ColumnCount()
	for {
		ok, err := s.Step()
		if err != nil {
			return nil, err
		}
		if !ok {
			return out, nil
		}
		row := make([]Value, n)
		for i := range row {
			row[i] = s.ColumnValue(i)
		}
		out = append(out, row)
	}
}

// execArgs runs an internal statement that returns no rows.
func execArgs(c *sqlite3.Conn, sql string, args ...any) error {
	s, err := c.Cached(sql)
	if err != nil {
		return err
	}
	defer s.Release()
	for i, a := range args {
		if err := s.Bind(i+1, a); err != nil {
			return err
		}
	}
	for {
		ok, err := s.Step()
		if err != nil || !ok {
			return err
		}
	}
}

// queryInt returns the first column of the first row as an integer (0 if none or NULL).
func queryInt(c *sqlite3.Conn, sql string, args ...any) (int64, error) {
	rows, err := queryAll(c, sql, args...)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	v, _ := rows[0][0].(int64)
	return v, nil
}
