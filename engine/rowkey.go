package engine

import "strings"

// A row is known on every node by its key: the JSON array of its
// primary-key values, as capture writes it into __warren_changes and
// __warren_versions. Values the table holds equal must make one key, or
// last-write-wins would treat one row as two.

// keyExpr renders a JSON array of the primary-key values of the row prefix
// (NEW, OLD or the table), each folded the way its column compares it
// (keyValue): keys the table holds equal are one key on every node.
func keyExpr(prefix string, ti *tableInfo) string {
	parts := make([]string, len(ti.Key))
	for i, k := range ti.Key {
		parts[i] = jsonValue(ti.keyValue(i, prefix+"."+quoteIdent(k)))
	}
	return "json_array(" + strings.Join(parts, ", ") + ")"
}

// keyValue folds key column i's value the way the column compares it, so
// that values the table holds equal are one key: TEXT by the collation
// (NOCASE ignores ASCII case, as SQLite's lower() without ICU does; RTRIM
// trailing spaces), and, in a column without type affinity, a REAL that
// equals an INTEGER (1.0 and 1) to that INTEGER. Rows are found on peers
// with "key = ?", which compares the same way; their stored values come
// from the images.
func (ti *tableInfo) keyValue(i int, ref string) string {
	var whens []string
	switch ti.keyColl(i) {
	case "NOCASE":
		whens = append(whens, "WHEN 'text' THEN lower("+ref+")")
	case "RTRIM":
		whens = append(whens, "WHEN 'text' THEN rtrim("+ref+", ' ')")
	}
	if i < len(ti.KeyType) && blobAffinity(ti.KeyType[i]) {
		whens = append(whens, "WHEN 'real' THEN iif("+ref+" = CAST("+ref+" AS INTEGER), CAST("+ref+" AS INTEGER), "+ref+")")
	}
	if len(whens) == 0 {
		return ref
	}
	return "CASE typeof(" + ref + ") " + strings.Join(whens, " ") + " ELSE " + ref + " END"
}

// blobAffinity reports whether a column of declared type typ keeps values
// as given (SQLite's BLOB affinity: no type, or one naming BLOB and no INT,
// CHAR, CLOB or TEXT).
func blobAffinity(typ string) bool {
	t := strings.ToUpper(typ)
	for _, s := range []string{"INT", "CHAR", "CLOB", "TEXT"} {
		if strings.Contains(t, s) {
			return false
		}
	}
	return t == "" || strings.Contains(t, "BLOB")
}

// folds reports whether key column i holds different values equal.
func (ti *tableInfo) folds(i int) bool { return ti.keyValue(i, "x") != "x" }

func (ti *tableInfo) keyColl(i int) string {
	if i < len(ti.KeyColl) {
		return strings.ToUpper(ti.KeyColl[i])
	}
	return ""
}
