package engine

import (
	"fmt"
	"slices"
	"strings"

	"github.com/warren-db/warren/engine/internal/sqlite3"
)

// tableInfo is what capture, ids and apply need to know about a user table.
type tableInfo struct {
	Name    string
	Columns []string   // writable columns in declaration order (generated columns left out)
	Key     []string   // primary-key columns, or ["rowid"] for a table without one
	KeyColl []string   // each key column's collation as its primary-key index has it ("" when none)
	KeyType []string   // each key column's declared type
	IDCol   string     // the column that takes minted ids ("" if none): INTEGER PRIMARY KEY or rowid
	Uniques [][]string // column sets of UNIQUE indexes other than the primary key
	Others  int        // UNIQUE indexes left out of Uniques: partial, or on expressions
	// NullableKey lists the primary-key columns of a rowid table that may
	// hold NULL (SQLite allows it there, and two such rows are distinct);
	// capture refuses NULL in them, since a row is known by its key.
	NullableKey []string
}

// userTables lists the tables whose changes Warren captures.
func userTables(c *sqlite3.Conn) ([]string, error) {
	rows, err := queryAll(c, `SELECT name FROM sqlite_schema WHERE type = 'table'
		AND substr(name, 1, 7) <> 'sqlite_' AND substr(name, 1, 9) <> '__warren_'
		AND coalesce(sql, '') NOT LIKE 'CREATE VIRTUAL%' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	virtual, err := queryAll(c, `SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'`)
	if err != nil {
		return nil, fmt.Errorf("list virtual tables: %w", err)
	}
	var names []string
	for _, r := range rows {
		name := r[0].(string)
		if !isShadowTable(name, virtual) {
			names = append(names, name)
		}
	}
	return names, nil
}

// isShadowTable reports whether name is a virtual table's shadow table (fts5 "t_data").
func isShadowTable(name string, virtual [][]Value) bool {
	for _, v := range virtual {
		if strings.HasPrefix(name, v[0].(string)+"_") {
			return true
		}
	}
	return false
}

// loadTableInfo introspects one table.
func loadTableInfo(c *sqlite3.Conn, table string) (*tableInfo, error) {
	cols, err := queryAll(c, `SELECT name, type, pk, hidden, "notnull" FROM pragma_table_xinfo(?) ORDER BY cid`, table)
	if err != nil {
		return nil, fmt.Errorf("read columns of %s: %w", table, err)
	}
	if len(cols) == 0 {
		return nil, Errorf(CodeNotFound, "no such table: %s", table)
	}
	ti := &tableInfo{Name: table}
	pkCols, nullable, types := map[int64]string{}, map[string]bool{}, map[string]string{}
	var pkType string
	for _, r := range cols {
		if r[3].(int64) != 0 {
			continue
		}
		name := r[0].(string)
		ti.Columns = append(ti.Columns, name)
		if pk := r[2].(int64); pk > 0 {
			pkCols[pk] = name
			pkType = r[1].(string)
			nullable[name], types[name] = r[4].(int64) == 0, pkType
		}
	}
	for i := int64(1); i <= int64(len(pkCols)); i++ {
		ti.Key = append(ti.Key, pkCols[i])
		ti.KeyType = append(ti.KeyType, types[pkCols[i]])
	}
	hasRowid := tableHasRowid(c, table)
	switch {
	case len(ti.Key) == 1 && strings.EqualFold(pkType, "INTEGER") && hasRowid:
		ti.IDCol = ti.Key[0]
	case len(ti.Key) == 0 && hasRowid:
		ti.Key = []string{"rowid"}
		ti.IDCol = "rowid"
	case hasRowid: // WITHOUT ROWID and INTEGER PRIMARY KEY refuse NULL keys themselves
		for _, k := range ti.Key {
			if nullable[k] {
				ti.NullableKey = append(ti.NullableKey, k)
			}
		}
	}
	if ti.KeyColl, err = keyCollations(c, table, ti.Key); err != nil {
		return nil, err
	}
	ti.Uniques, ti.Others, err = uniqueIndexes(c, table)
	return ti, err
}

// keyCollations returns the collation of each key column in the table's
// primary-key index ("" for a rowid key, which has no such index).
func keyCollations(c *sqlite3.Conn, table string, key []string) ([]string, error) {
	rows, err := queryAll(c, `SELECT x.name, x.coll FROM pragma_index_list(?1) AS l, pragma_index_xinfo(l.name) AS x
		WHERE l.origin = 'pk' AND x.key = 1`, table)
	if err != nil {
		return nil, fmt.Errorf("read key collations of %s: %w", table, err)
	}
	colls := make([]string, len(key))
	for _, r := range rows {
		if i := slices.Index(key, r[0].(string)); i >= 0 {
			colls[i], _ = r[1].(string)
		}
	}
	return colls, nil
}

func tableHasRowid(c *sqlite3.Conn, table string) bool {
	s, _, err := c.Prepare("SELECT rowid FROM " + quoteIdent(table) + " LIMIT 0")
	s.Finalize()
	return err == nil
}

// uniqueIndexes returns the column sets of the table's full, column-only
// UNIQUE indexes other than its primary key, and how many others it has
// (partial, or on expressions).
func uniqueIndexes(c *sqlite3.Conn, table string) ([][]string, int, error) {
	idx, err := queryAll(c, `SELECT name, partial FROM pragma_index_list(?) WHERE "unique" = 1 AND origin <> 'pk' ORDER BY name`, table)
	if err != nil {
		return nil, 0, fmt.Errorf("list indexes of %s: %w", table, err)
	}
	var out [][]string
	others := 0
	for _, r := range idx {
		cols, err := queryAll(c, "SELECT cid, name FROM pragma_index_info(?) ORDER BY seqno", r[0])
		if err != nil {
			return nil, 0, fmt.Errorf("read index %v: %w", r[0], err)
		}
		var names []string
		for _, col := range cols {
			if col[0].(int64) < 0 {
				names = nil
				break
			}
			names = append(names, col[1].(string))
		}
		if len(names) > 0 && r[1].(int64) == 0 {
			out = append(out, names)
		} else {
			others++
		}
	}
	return out, others, nil
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// quoteString quotes an SQL string literal.
func quoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
