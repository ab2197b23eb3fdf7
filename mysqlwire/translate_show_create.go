package mysqlwire

import (
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"
)

// showCreate answers SHOW CREATE TABLE and SHOW CREATE DATABASE.
func (r *renderer) showCreate(s *sqlparser.ShowCreate) Plan {
	switch s.Command {
	case sqlparser.CreateTbl:
		name := r.showTable(s.Op)
		return r.plan(PlanRead, showCreateTableSQL(name))
	case sqlparser.CreateDb:
		db := s.Op.Name.String()
		if db == "" {
			db = s.Op.Qualifier.String()
		}
		text := "SELECT " + sqlString(db) + ` AS "Database", ` + sqlString("CREATE DATABASE `"+strings.ReplaceAll(db, "`", "``")+
			"` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci */") + ` AS "Create Database"`
		return r.plan(PlanRead, text)
	}
	r.fail(errNotSupportedf("%s", describe(&sqlparser.Show{Internal: s})))
	return Plan{}
}

// showCreateTableSQL rebuilds MySQL's CREATE TABLE from the columns and
// indexes SQLite reports.
func showCreateTableSQL(name string) string {
	f := tableIs(name)
	return strings.NewReplacer("{COLS}", columnRowsSQL(f), "{IDX}", indexRowsSQL(f), "{F}", f, "{EXISTS}", mustExist(name)).Replace(
		`SELECT (SELECT m.name FROM sqlite_schema AS m WHERE {F}) AS "Table",
  'CREATE TABLE ` + "`" + `' || replace((SELECT m.name FROM sqlite_schema AS m WHERE {F}), '` + "`" + `', '` + "``" + `') || '` + "`" + ` (' || char(10) ||
  body || char(10) || ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci' AS "Create Table"
FROM (SELECT group_concat(line, ',' || char(10) ORDER BY ord, sub) AS body FROM (
  SELECT 0 AS ord, pos AS sub, '  ` + "`" + `' || replace(field, '` + "`" + `', '` + "``" + `') || '` + "`" + ` ' || mtype ||
    CASE WHEN nullable = 'NO' THEN ' NOT NULL' ELSE '' END ||
    CASE WHEN extra = 'auto_increment' OR extra IN ('VIRTUAL GENERATED', 'STORED GENERATED') THEN ''
      WHEN dflt IS NULL THEN CASE WHEN nullable = 'YES' AND NOT (mtype LIKE '%text' OR mtype LIKE '%blob' OR mtype = 'json') THEN ' DEFAULT NULL' ELSE '' END
      WHEN upper(dflt) LIKE 'CURRENT\_%' ESCAPE '\' THEN ' DEFAULT ' || dflt
      ELSE ' DEFAULT ''' || replace(dflt, '''', '''''') || '''' END ||
    CASE WHEN extra = 'auto_increment' THEN ' AUTO_INCREMENT' ELSE '' END AS line
  FROM ({COLS})
  UNION ALL
  SELECT 1, 0, '  PRIMARY KEY (' || group_concat('` + "`" + `' || replace(col, '` + "`" + `', '` + "``" + `') || '` + "`" + `', ',' ORDER BY seq) || ')'
  FROM ({IDX}) WHERE key_name = 'PRIMARY' AND k1 = 0 HAVING count(*) > 0
  UNION ALL
  SELECT 2, min(k2), '  ' || CASE WHEN non_unique = 0 THEN 'UNIQUE ' ELSE '' END || 'KEY ` + "`" + `' || replace(key_name, '` + "`" + `', '` + "``" + `') || '` + "`" + ` (' ||
    group_concat('` + "`" + `' || replace(col, '` + "`" + `', '` + "``" + `') || '` + "`" + `' || CASE WHEN sub_part IS NOT NULL THEN '(' || sub_part || ')' ELSE '' END, ',' ORDER BY seq) || ')'
  FROM ({IDX}) WHERE k1 = 1 GROUP BY key_name, non_unique)) WHERE {EXISTS}`)
}

// tableStatusSQL lists SHOW TABLE STATUS rows. Sizes and row counts are not
// tracked (NULL or 0).
var tableStatusSQL = `SELECT m.name AS "Name", CASE m.type WHEN 'view' THEN NULL ELSE 'InnoDB' END AS "Engine", ` +
	`10 AS "Version", 'Dynamic' AS "Row_format", NULL AS "Rows", 0 AS "Avg_row_length", 0 AS "Data_length", ` +
	`0 AS "Max_data_length", 0 AS "Index_length", 0 AS "Data_free", NULL AS "Auto_increment", NULL AS "Create_time", ` +
	`NULL AS "Update_time", NULL AS "Check_time", CASE WHEN m.type = 'view' THEN NULL WHEN ` + mysqlTable +
	` THEN 'utf8mb4_unicode_ci' ELSE 'utf8mb4_bin' END AS "Collation", NULL AS "Checksum", '' AS "Create_options", ` +
	`CASE m.type WHEN 'view' THEN 'VIEW' ELSE '' END AS "Comment" ` +
	`FROM sqlite_schema AS m WHERE m.type IN ('table', 'view') AND ` + userTables

// constantShows are the SHOW statements answered with fixed rows.
var constantShows = map[sqlparser.ShowCommandType]string{
	sqlparser.Engines: `SELECT 'InnoDB' AS "Engine", 'DEFAULT' AS "Support", 'Warren: replicated SQLite' AS "Comment", ` +
		`'YES' AS "Transactions", 'NO' AS "XA", 'NO' AS "Savepoints"`,
	sqlparser.Charset: `SELECT 'utf8mb4' AS "Charset", 'UTF-8 Unicode' AS "Description", 'utf8mb4_unicode_ci' AS "Default collation", 4 AS "Maxlen" ` +
		`UNION ALL SELECT 'utf8mb3', 'UTF-8 Unicode', 'utf8mb3_general_ci', 3 ` +
		`UNION ALL SELECT 'ascii', 'US ASCII', 'ascii_general_ci', 1 ` +
		`UNION ALL SELECT 'binary', 'Binary pseudo charset', 'binary', 1`,
	sqlparser.Collation: `SELECT 'utf8mb4_unicode_ci' AS "Collation", 'utf8mb4' AS "Charset", 224 AS "Id", '' AS "Default", 'Yes' AS "Compiled", 8 AS "Sortlen", 'PAD SPACE' AS "Pad_attribute" ` +
		`UNION ALL SELECT 'utf8mb4_unicode_520_ci', 'utf8mb4', 246, '', 'Yes', 8, 'PAD SPACE' ` +
		`UNION ALL SELECT 'utf8mb4_general_ci', 'utf8mb4', 45, '', 'Yes', 1, 'PAD SPACE' ` +
		`UNION ALL SELECT 'utf8mb4_0900_ai_ci', 'utf8mb4', 255, 'Yes', 'Yes', 0, 'NO PAD' ` +
		`UNION ALL SELECT 'utf8mb4_bin', 'utf8mb4', 46, '', 'Yes', 1, 'PAD SPACE' ` +
		`UNION ALL SELECT 'utf8mb3_general_ci', 'utf8mb3', 33, 'Yes', 'Yes', 1, 'PAD SPACE' ` +
		`UNION ALL SELECT 'ascii_general_ci', 'ascii', 11, 'Yes', 'Yes', 1, 'PAD SPACE' ` +
		`UNION ALL SELECT 'binary', 'binary', 63, 'Yes', 'Yes', 1, 'NO PAD'`,
	sqlparser.Warnings:      `SELECT NULL AS "Level", NULL AS "Code", NULL AS "Message" WHERE 0`,
	sqlparser.Errors:        `SELECT NULL AS "Level", NULL AS "Code", NULL AS "Message" WHERE 0`,
	sqlparser.StatusGlobal:  `SELECT NULL AS "Variable_name", NULL AS "Value" WHERE 0`,
	sqlparser.StatusSession: `SELECT NULL AS "Variable_name", NULL AS "Value" WHERE 0`,
	sqlparser.OpenTable:     `SELECT NULL AS "Database", NULL AS "Table", NULL AS "In_use", NULL AS "Name_locked" WHERE 0`,
	sqlparser.Trigger: `SELECT NULL AS "Trigger", NULL AS "Event", NULL AS "Table", NULL AS "Statement", NULL AS "Timing", ` +
		`NULL AS "Created", NULL AS "sql_mode", NULL AS "Definer", NULL AS "character_set_client", ` +
		`NULL AS "collation_connection", NULL AS "Database Collation" WHERE 0`,
	sqlparser.Procedure: routineStatus,
	sqlparser.Function:  routineStatus,
	sqlparser.Events: `SELECT NULL AS "Db", NULL AS "Name", NULL AS "Definer", NULL AS "Time zone", NULL AS "Type", ` +
		`NULL AS "Execute at", NULL AS "Interval value", NULL AS "Interval field", NULL AS "Starts", NULL AS "Ends", ` +
		`NULL AS "Status", NULL AS "Originator", NULL AS "character_set_client", NULL AS "collation_connection", ` +
		`NULL AS "Database Collation" WHERE 0`,
}

const routineStatus = `SELECT NULL AS "Db", NULL AS "Name", NULL AS "Type", NULL AS "Definer", NULL AS "Modified", ` +
	`NULL AS "Created", NULL AS "Security_type", NULL AS "Comment", NULL AS "character_set_client", ` +
	`NULL AS "collation_connection", NULL AS "Database Collation" WHERE 0`
