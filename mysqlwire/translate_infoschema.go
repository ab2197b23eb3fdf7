package mysqlwire

import (
	"strings"
)

// infoSchemaTable writes an information_schema table as a subquery over
// SQLite's catalog. It describes one database: the one a TABLE_SCHEMA =
// '...' condition names, else the current one (see planDatabase); dbMark
// stands for its name until the plan is finished.
func (r *renderer) infoSchemaTable(name, alias string) {
	sql, ok := infoSchemaTables[strings.ToUpper(name)]
	if !ok {
		r.fail(errUnknownInfoSchemaTable(name))
		return
	}
	r.infoSchema = true
	if strings.IndexByte(sql, holeMark) >= 0 {
		r.hole = true
	} else {
		r.infoCatalog = true // it reads a database's catalog: one must be known
	}
	if alias == "" {
		alias = strings.ToUpper(name)
	}
	r.w("(" + sql + ") AS ")
	r.ident(alias)
}

var dbLiteral = string(dbMark)

// infoSchemaTables are the information_schema tables Warren answers.
var infoSchemaTables = map[string]string{
	"SCHEMATA": `SELECT 'def' AS "CATALOG_NAME", "name" AS "SCHEMA_NAME", 'utf8mb4' AS "DEFAULT_CHARACTER_SET_NAME", ` +
		`'utf8mb4_unicode_ci' AS "DEFAULT_COLLATION_NAME", NULL AS "SQL_PATH", 'NO' AS "DEFAULT_ENCRYPTION" FROM ` +
		hole(holeDatabases, "") + ` AS d`,
	"TABLES": `SELECT 'def' AS "TABLE_CATALOG", ` + dbLiteral + ` AS "TABLE_SCHEMA", m.name AS "TABLE_NAME", ` +
		`CASE m.type WHEN 'view' THEN 'VIEW' ELSE 'BASE TABLE' END AS "TABLE_TYPE", ` +
		`CASE m.type WHEN 'view' THEN NULL ELSE 'InnoDB' END AS "ENGINE", 10 AS "VERSION", 'Dynamic' AS "ROW_FORMAT", ` +
		`NULL AS "TABLE_ROWS", 0 AS "AVG_ROW_LENGTH", 0 AS "DATA_LENGTH", 0 AS "MAX_DATA_LENGTH", 0 AS "INDEX_LENGTH", ` +
		`0 AS "DATA_FREE", NULL AS "AUTO_INCREMENT", NULL AS "CREATE_TIME", NULL AS "UPDATE_TIME", NULL AS "CHECK_TIME", ` +
		`CASE WHEN m.type = 'view' THEN NULL WHEN ` + mysqlTable + ` THEN 'utf8mb4_unicode_ci' ELSE 'utf8mb4_bin' END AS "TABLE_COLLATION", ` +
		`NULL AS "CHECKSUM", '' AS "CREATE_OPTIONS", CASE m.type WHEN 'view' THEN 'VIEW' ELSE '' END AS "TABLE_COMMENT" ` +
		`FROM sqlite_schema AS m WHERE m.type IN ('table', 'view') AND ` + userTables,
	"COLUMNS": `SELECT 'def' AS "TABLE_CATALOG", ` + dbLiteral + ` AS "TABLE_SCHEMA", tbl AS "TABLE_NAME", field AS "COLUMN_NAME", ` +
		`pos AS "ORDINAL_POSITION", dflt AS "COLUMN_DEFAULT", nullable AS "IS_NULLABLE", base AS "DATA_TYPE", ` +
		`CASE WHEN base IN ('char', 'varchar', 'binary', 'varbinary') THEN CAST(substr(mtype, instr(mtype, '(') + 1) AS INTEGER) ` +
		`WHEN base IN ('tinytext', 'tinyblob') THEN 255 WHEN base IN ('text', 'blob') THEN 65535 ` +
		`WHEN base IN ('mediumtext', 'mediumblob') THEN 16777215 WHEN base IN ('longtext', 'longblob', 'json') THEN 4294967295 END AS "CHARACTER_MAXIMUM_LENGTH", ` +
		`CASE WHEN base IN ('char', 'varchar') THEN 4 * CAST(substr(mtype, instr(mtype, '(') + 1) AS INTEGER) ` +
		`WHEN base IN ('binary', 'varbinary') THEN CAST(substr(mtype, instr(mtype, '(') + 1) AS INTEGER) ` +
		`WHEN base IN ('tinytext', 'tinyblob') THEN 255 WHEN base IN ('text', 'blob') THEN 65535 ` +
		`WHEN base IN ('mediumtext', 'mediumblob') THEN 16777215 WHEN base IN ('longtext', 'longblob', 'json') THEN 4294967295 END AS "CHARACTER_OCTET_LENGTH", ` +
		`CASE base WHEN 'tinyint' THEN 3 WHEN 'smallint' THEN 5 WHEN 'mediumint' THEN 7 WHEN 'int' THEN 10 ` +
		`WHEN 'bigint' THEN CASE WHEN mtype LIKE '% unsigned%' THEN 20 ELSE 19 END WHEN 'integer' THEN 19 ` +
		`WHEN 'decimal' THEN CAST(substr(mtype, 9) AS INTEGER) WHEN 'float' THEN 12 WHEN 'double' THEN 22 WHEN 'bit' THEN 1 END AS "NUMERIC_PRECISION", ` +
		`CASE WHEN base IN ('tinyint', 'smallint', 'mediumint', 'int', 'bigint', 'integer') THEN 0 ` +
		`WHEN base = 'decimal' THEN CAST(substr(mtype, instr(mtype, ',') + 1) AS INTEGER) END AS "NUMERIC_SCALE", ` +
		`CASE WHEN base IN ('datetime', 'timestamp', 'time') THEN CASE WHEN instr(mtype, '(') > 0 THEN CAST(substr(mtype, instr(mtype, '(') + 1) AS INTEGER) ELSE 0 END END AS "DATETIME_PRECISION", ` +
		`CASE WHEN coll IS NOT NULL THEN 'utf8mb4' END AS "CHARACTER_SET_NAME", coll AS "COLLATION_NAME", ` +
		`mtype AS "COLUMN_TYPE", ckey AS "COLUMN_KEY", extra AS "EXTRA", 'select,insert,update,references' AS "PRIVILEGES", ` +
		`'' AS "COLUMN_COMMENT", '' AS "GENERATION_EXPRESSION", NULL AS "SRS_ID" ` +
		`FROM (SELECT *, CASE WHEN instr(mtype, '(') > 0 THEN substr(mtype, 1, instr(mtype, '(') - 1) ` +
		`WHEN instr(mtype, ' ') > 0 THEN substr(mtype, 1, instr(mtype, ' ') - 1) ELSE mtype END AS base FROM (` + columnRowsSQL("1") + `))`,
	"STATISTICS": `SELECT 'def' AS "TABLE_CATALOG", ` + dbLiteral + ` AS "TABLE_SCHEMA", tbl AS "TABLE_NAME", non_unique AS "NON_UNIQUE", ` +
		dbLiteral + ` AS "INDEX_SCHEMA", key_name AS "INDEX_NAME", seq AS "SEQ_IN_INDEX", col AS "COLUMN_NAME", coll AS "COLLATION", ` +
		`NULL AS "CARDINALITY", sub_part AS "SUB_PART", NULL AS "PACKED", nullable AS "NULLABLE", 'BTREE' AS "INDEX_TYPE", ` +
		`'' AS "COMMENT", '' AS "INDEX_COMMENT", 'YES' AS "IS_VISIBLE", NULL AS "EXPRESSION" FROM (` + indexRowsSQL("1") + `)`,
}
