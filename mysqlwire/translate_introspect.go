package mysqlwire

import "strings"

// The SQLite queries behind SHOW, DESCRIBE and information_schema. They read
// sqlite_schema and the pragma table functions through the engine's normal
// read path, and turn what CREATE TABLE stored (see translate_types.go and
// translate_ddl_column.go) back into MySQL's words.

// userTables keeps the tables and views of sqlite_schema AS m that are the
// user's (not SQLite's, not Warren's).
const userTables = `m.name NOT LIKE 'sqlite\_%' ESCAPE '\' AND m.name NOT LIKE '\_\_warren\_%' ESCAPE '\'`

// mysqlTable reports (in SQL) that table m was created through the MySQL
// door: its CREATE TABLE starts with the /*mysql*/ marker.
const mysqlTable = `m.sql LIKE '%(/*mysql*/%'`

// columnRowsSQL lists the columns of the user's tables with MySQL's view of
// them: tbl, pos, field, mtype, nullable, ckey, dflt, extra, coll, plus the
// raw decl and pk. filter restricts the tables (SQL over m.name, or "1").
func columnRowsSQL(filter string) string {
	return strings.NewReplacer("{FILTER}", filter, "{USER}", userTables, "{MYSQL}", mysqlTable).Replace(`SELECT tbl, pos, field, mtype, decl, pk,
  CASE WHEN nn = 1 OR pk > 0 THEN 'NO' ELSE 'YES' END AS nullable,
  CASE WHEN pk > 0 THEN 'PRI'
    WHEN EXISTS (SELECT 1 FROM pragma_index_list(tbl) AS il WHERE il."unique" = 1
      AND (SELECT count(*) FROM pragma_index_info(il.name)) = 1
      AND (SELECT ii.name FROM pragma_index_info(il.name) AS ii WHERE ii.seqno = 0) = field) THEN 'UNI'
    WHEN EXISTS (SELECT 1 FROM pragma_index_list(tbl) AS il
      WHERE (SELECT ii.name FROM pragma_index_info(il.name) AS ii WHERE ii.seqno = 0) = field) THEN 'MUL'
    ELSE '' END AS ckey,
  CASE WHEN rawdflt IS NULL OR rawdflt LIKE '%/*implicit*/' OR upper(rawdflt) = 'NULL' THEN NULL
    WHEN rawdflt LIKE '''%''' THEN replace(substr(rawdflt, 2, length(rawdflt) - 2), '''''', '''')
    ELSE rawdflt END AS dflt,
  CASE WHEN hidden = 2 THEN 'VIRTUAL GENERATED' WHEN hidden = 3 THEN 'STORED GENERATED'
    WHEN pk > 0 AND upper(decl) = 'INTEGER' AND (SELECT count(*) FROM pragma_table_info(tbl) AS k WHERE k.pk > 0) = 1 THEN 'auto_increment'
    WHEN upper(rawdflt) LIKE 'CURRENT\_%' ESCAPE '\' OR rawdflt LIKE 'strftime(%' THEN 'DEFAULT_GENERATED'
    ELSE '' END AS extra,
  CASE WHEN NOT (mtype LIKE '%char%' OR mtype LIKE '%text%' OR mtype LIKE 'enum(%' OR mtype LIKE 'set(%') THEN NULL
    WHEN decl LIKE '% /*bin*/' OR NOT mysql THEN 'utf8mb4_bin' ELSE 'utf8mb4_unicode_ci' END AS coll
FROM (SELECT *,
  CASE WHEN rest IS NOT NULL THEN substr(rest, 1, instr(rest, '*/') - 1)
    WHEN decl LIKE '% /*blob*/' OR decl LIKE '% /*text*/' THEN substr(decl, 1, length(decl) - 9)
    WHEN decl LIKE '% /*bin*/' THEN substr(decl, 1, length(decl) - 8)
    WHEN decl = upper(decl) THEN lower(decl) ELSE decl END AS mtype
  FROM (SELECT m.name AS tbl, c.cid + 1 AS pos, c.name AS field, c.type AS decl, c."notnull" AS nn,
      c.dflt_value AS rawdflt, c.pk AS pk, c.hidden AS hidden, {MYSQL} AS mysql,
      CASE WHEN c.pk > 0 AND upper(c.type) = 'INTEGER' AND instr(m.sql, '"' || replace(c.name, '"', '""') || '" INTEGER /*') > 0
        THEN substr(m.sql, instr(m.sql, '"' || replace(c.name, '"', '""') || '" INTEGER /*') + length(c.name) + length(c.name) - length(replace(c.name, '"', '')) + 13)
        END AS rest
    FROM sqlite_schema AS m JOIN pragma_table_xinfo(m.name) AS c
    WHERE m.type IN ('table', 'view') AND {USER} AND ({FILTER}) AND c.hidden IN (0, 2, 3)))`)
}

// indexRowsSQL lists the index columns of the user's tables as SHOW INDEX
// sees them: tbl, non_unique, key_name, seq, col, coll, sub_part, nullable,
// and k1, k2 to order them (the primary key first, then in creation order).
func indexRowsSQL(filter string) string {
	return strings.NewReplacer("{FILTER}", filter, "{USER}", userTables).Replace(`SELECT m.name AS tbl, 0 AS non_unique, 'PRIMARY' AS key_name, c.pk AS seq, c.name AS col,
  'A' AS coll, NULL AS sub_part, '' AS nullable, 0 AS k1, 0 AS k2
FROM sqlite_schema AS m JOIN pragma_table_info(m.name) AS c
WHERE m.type = 'table' AND {USER} AND ({FILTER}) AND c.pk > 0
UNION ALL
SELECT m.name, 1 - il."unique",
  CASE WHEN lower(substr(il.name, 1, length(m.name) + 1)) = lower(m.name || '.') THEN substr(il.name, length(m.name) + 2)
    WHEN instr(il.name, '.') > 0 THEN substr(il.name, instr(il.name, '.') + 1) ELSE il.name END,
  ii.seqno + 1, ii.name, CASE WHEN ii."desc" = 1 THEN 'D' ELSE 'A' END,
  CASE WHEN instr(s.sql, '"' || replace(ii.name, '"', '""') || '" /*') > 0
    THEN CAST(substr(s.sql, instr(s.sql, '"' || replace(ii.name, '"', '""') || '" /*') + length(ii.name) + length(ii.name) - length(replace(ii.name, '"', '')) + 5) AS INTEGER) END,
  CASE WHEN tc."notnull" = 1 OR tc.pk > 0 THEN '' ELSE 'YES' END, 1, s.rowid
FROM sqlite_schema AS m JOIN pragma_index_list(m.name) AS il JOIN pragma_index_xinfo(il.name) AS ii
  LEFT JOIN pragma_table_info(m.name) AS tc ON tc.name = ii.name
  LEFT JOIN sqlite_schema AS s ON s.type = 'index' AND s.name = il.name
WHERE m.type = 'table' AND {USER} AND ({FILTER}) AND il.origin <> 'pk' AND ii.key = 1`)
}

// tableIs is a filter for one table, named as SQLite does (without case).
func tableIs(name string) string { return "m.name = " + sqlString(name) + " COLLATE NOCASE" }

// mustExist makes a query over table name fail, as MySQL's SHOW does, when
// the table does not exist: SQLite checks the name when it prepares.
func mustExist(name string) string {
	return "EXISTS (SELECT 1 FROM " + quoteIdent(name) + " WHERE 0) IS NOT NULL"
}
