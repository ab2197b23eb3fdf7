package engine

import (
	"fmt"
	"strings"

	"github.com/warren-db/warren/engine/internal/sqlite3"
)

// Capture triggers record every row change of a user table into
// __warren_changes, inside the transaction that makes the change, whichever
// process makes it. Images are JSON objects; BLOBs become {"$b": hex} and
// REALs are printed with 17 significant digits so they survive the trip exactly.

const triggerPrefix = internalPrefix + "cap_"

// jsonValue wraps a column reference so json_object/json_array keep its exact value.
func jsonValue(ref string) string {
	return "CASE typeof(" + ref + ") WHEN 'blob' THEN json_object('$b', hex(" + ref + ")) " +
		"WHEN 'real' THEN iif(abs(" + ref + ") <= 1.7976931348623157e308, json(printf('%!.17g', " + ref + ")), " + ref + ") " +
		"ELSE " + ref + " END"
}

// maxJSONPairs keeps each json_object/json_insert call under SQLite's 127-argument limit.
const maxJSONPairs = 60

// imageExpr renders a JSON object of every column of the row prefix (NEW or OLD).
func imageExpr(prefix string, cols []string) string {
	var b strings.Builder
	first := cols[:min(len(cols), maxJSONPairs)]
	b.WriteString("json_object(")
	for i, c := range first {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quoteString(c) + ", " + jsonValue(prefix+"."+quoteIdent(c)))
	}
	b.WriteString(")")
	expr := b.String()
	for rest := cols[len(first):]; len(rest) > 0; {
		chunk := rest[:min(len(rest), maxJSONPairs)]
		rest = rest[len(chunk):]
		parts := []string{expr}
		for _, c := range chunk {
			parts = append(parts, quoteString(`$."`+strings.ReplaceAll(c, `"`, `\"`)+`"`), jsonValue(prefix+"."+quoteIdent(c)))
		}
		expr = "json_insert(" + strings.Join(parts, ", ") + ")"
	}
	return expr
}

// unmuted is true unless the writer is applying changes that are not this
// node's writes (remote change sets, reinstated rows): then a row in
// __warren_mute, never committed, switches capture off. Other processes
// always see the table empty, so their writes are always captured.
const unmuted = "NOT EXISTS (SELECT 1 FROM __warren_mute)"

// triggerSQL returns the capture triggers of a table, keyed by trigger name.
func triggerSQL(ti *tableInfo) map[string]string {
	t := quoteIdent(ti.Name)
	tn := quoteString(ti.Name)
	ins := "INSERT INTO __warren_changes(tbl, op, pk, before, after) VALUES "
	var same []string
	for _, k := range ti.Key {
		same = append(same, "OLD."+quoteIdent(k)+" IS NEW."+quoteIdent(k))
	}
	keySame := strings.Join(same, " AND ")
	newImg, oldImg := imageExpr("NEW", ti.Columns), imageExpr("OLD", ti.Columns)
	newKey, oldKey := keyExpr("NEW", ti), keyExpr("OLD", ti)
	name := func(kind string) string { return triggerPrefix + kind + "_" + ti.Name }
	guard := nullKeyGuard(ti)
	return map[string]string{
		name("i"): fmt.Sprintf("CREATE TRIGGER %s AFTER INSERT ON %s WHEN %s BEGIN %s%s(%s, 'c', %s, NULL, %s); END",
			quoteIdent(name("i")), t, unmuted, guard, ins, tn, newKey, newImg),
		name("u"): fmt.Sprintf("CREATE TRIGGER %s AFTER UPDATE ON %s WHEN %s AND %s BEGIN %s(%s, 'u', %s, %s, %s); END",
			quoteIdent(name("u")), t, unmuted, keySame, ins, tn, newKey, oldImg, newImg),
		name("k"): fmt.Sprintf("CREATE TRIGGER %s AFTER UPDATE ON %s WHEN %s AND NOT (%s) BEGIN %s%s(%s, 'd', %s, %s, NULL); %s(%s, 'c', %s, NULL, %s); END",
			quoteIdent(name("k")), t, unmuted, keySame, guard, ins, tn, oldKey, oldImg, ins, tn, newKey, newImg),
		name("d"): fmt.Sprintf("CREATE TRIGGER %s AFTER DELETE ON %s WHEN %s BEGIN %s(%s, 'd', %s, %s, NULL); END",
			quoteIdent(name("d")), t, unmuted, ins, tn, oldKey, oldImg),
	}
}

// nullKeyGuard is the statement a capture trigger starts with to refuse a
// row whose nullable primary-key columns (tableInfo.NullableKey) hold NULL:
// two such rows are distinct in SQLite, but peers know a row by its key
// and would keep one of them. "" when the key cannot be NULL.
func nullKeyGuard(ti *tableInfo) string {
	if len(ti.NullableKey) == 0 {
		return ""
	}
	conds := make([]string, len(ti.NullableKey))
	for i, k := range ti.NullableKey {
		conds[i] = "NEW." + quoteIdent(k) + " IS NULL"
	}
	msg := fmt.Sprintf("NULL in the primary key of %s (%s): rows are known by their key on every node; declare the key columns NOT NULL",
		ti.Name, strings.Join(ti.NullableKey, ", "))
	return fmt.Sprintf("SELECT RAISE(ABORT, %s) WHERE %s; ", quoteString(msg), strings.Join(conds, " OR "))
}

// syncTriggers makes the capture triggers match the current schema: it
// creates missing ones, recreates stale ones and drops those of dropped tables.
// It runs inside the caller's transaction.
func syncTriggers(c *sqlite3.Conn, tables map[string]*tableInfo) error {
	existing, err := queryAll(c, "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND substr(name, 1, ?) = ?",
		len(triggerPrefix), triggerPrefix)
	if err != nil {
		return fmt.Errorf("list capture triggers: %w", err)
	}
	want := map[string]string{}
	for _, ti := range tables {
		for name, sql := range triggerSQL(ti) {
			want[name] = sql
		}
	}
	have := map[string]string{}
	for _, r := range existing {
		have[r[0].(string)] = r[1].(string)
	}
	for name, sql := range have {
		if want[name] != sql {
			if err := c.Exec("DROP TRIGGER IF EXISTS " + quoteIdent(name)); err != nil {
				return fmt.Errorf("drop trigger %s: %w", name, err)
			}
		}
	}
	for name, sql := range want {
		if have[name] != sql {
			if err := c.Exec(sql); err != nil {
				return fmt.Errorf("create trigger %s: %w", name, err)
			}
		}
	}
	return nil
}

// dropCaptureTriggers drops the capture triggers of one table.
func dropCaptureTriggers(c *sqlite3.Conn, table string) error {
	for _, kind := range []string{"i", "u", "k", "d"} {
		name := triggerPrefix + kind + "_" + table
		if err := c.Exec("DROP TRIGGER IF EXISTS " + quoteIdent(name)); err != nil {
			return fmt.Errorf("drop trigger %s: %w", name, err)
		}
	}
	return nil
}

// loadTables introspects every user table.
func loadTables(c *sqlite3.Conn) (map[string]*tableInfo, error) {
	names, err := userTables(c)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*tableInfo, len(names))
	for _, n := range names {
		ti, err := loadTableInfo(c, n)
		if err != nil {
			return nil, err
		}
		out[n] = ti
	}
	return out, nil
}
