package mysqlwire

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/warren-db/warren/engine"
)

// boolVars take ON/OFF, TRUE/FALSE or 1/0 and are stored as 1 or 0.
var boolVars = map[string]bool{
	"autocommit": true, "big_tables": true, "foreign_key_checks": true, "unique_checks": true,
	"sql_safe_updates": true, "sql_auto_is_null": true, "sql_notes": true, "sql_warnings": true,
	"sql_quote_show_create": true, "sql_log_bin": true, "sql_big_selects": true,
	"transaction_read_only": true, "tx_read_only": true, "innodb_strict_mode": true,
	"read_only": true, "super_read_only": true, "sql_require_primary_key": true,
	"session_track_schema": true, "session_track_state_change": true, "require_secure_transport": true,
	"explicit_defaults_for_timestamp": true, "innodb_file_per_table": true,
}

// sqlModes are the sql_mode flags MySQL 8 accepts. The false ones change how
// statements parse (quotes, backslashes, ||), which the translator cannot
// follow, so Warren refuses them.
var sqlModes = map[string]bool{
	"ALLOW_INVALID_DATES": true, "ERROR_FOR_DIVISION_BY_ZERO": true, "HIGH_NOT_PRECEDENCE": true,
	"IGNORE_SPACE": true, "NO_AUTO_VALUE_ON_ZERO": true, "NO_DIR_IN_CREATE": true,
	"NO_ENGINE_SUBSTITUTION": true, "NO_UNSIGNED_SUBTRACTION": true, "NO_ZERO_DATE": true,
	"NO_ZERO_IN_DATE": true, "ONLY_FULL_GROUP_BY": true, "PAD_CHAR_TO_FULL_LENGTH": true,
	"REAL_AS_FLOAT": true, "STRICT_ALL_TABLES": true, "STRICT_TRANS_TABLES": true,
	"TIME_TRUNCATE_FRACTIONAL": true, "TRADITIONAL": true, "NO_AUTO_CREATE_USER": true,
	"NO_FIELD_OPTIONS": true, "NO_KEY_OPTIONS": true, "NO_TABLE_OPTIONS": true,
	"ANSI_QUOTES": false, "NO_BACKSLASH_ESCAPES": false, "PIPES_AS_CONCAT": false, "ANSI": false,
	"DB2": false, "MAXDB": false, "MSSQL": false, "ORACLE": false, "POSTGRESQL": false,
}

// utcZones are the time_zone values Warren accepts: it keeps time in UTC.
var utcZones = map[string]bool{"SYSTEM": true, "UTC": true, "+00:00": true, "-00:00": true, "+0:00": true,
	"ETC/UTC": true, "GMT": true, "Z": true}

var isolationLevels = map[string]bool{"READ-UNCOMMITTED": true, "READ-COMMITTED": true,
	"REPEATABLE-READ": true, "SERIALIZABLE": true}

// charsets are the character sets a client may ask for: Warren stores UTF-8.
var charsets = map[string]bool{"utf8": true, "utf8mb3": true, "utf8mb4": true, "ascii": true, "binary": true}

// CheckSetting checks the value a SET statement gives a system variable (a
// constant, or what Setting.SQL evaluated to) and returns it normalized:
// booleans become 1 or 0, sql_mode and isolation levels upper case,
// warren_consistency ONE, QUORUM or ALL. Unknown or read-only variables and
// values Warren cannot honour get MySQL's errors.
func (t *Translator) CheckSetting(st Setting, v engine.Value) (engine.Value, error) {
	switch st.Kind {
	case SettingUser:
		return v, nil
	case SettingNames, SettingCharset:
		return checkCharset(st.Name, v)
	}
	def, known := t.vars[st.Name]
	switch {
	case !known:
		return nil, errUnknownSystemVariable(st.Name)
	case builtinVars[st.Name].readOnly:
		return nil, errReadOnlyVar(st.Name)
	case st.Default:
		return def, nil
	}
	return t.checkValue(st.Name, def, v)
}

// checkValue validates v for the variable name whose default is def.
func (t *Translator) checkValue(name string, def, v engine.Value) (engine.Value, error) {
	switch {
	case boolVars[name]:
		return checkBool(name, v)
	case name == "sql_mode":
		return checkSQLMode(v)
	case name == "time_zone":
		return checkTimeZone(v)
	case name == "warren_consistency":
		return checkConsistency(v)
	case name == "transaction_isolation" || name == "tx_isolation":
		return checkIsolation(name, v)
	case strings.HasPrefix(name, "character_set_"), strings.HasPrefix(name, "collation_"):
		return checkCharset(name, v)
	}
	if _, isInt := def.(int64); isInt {
		return checkInt(name, v)
	}
	if v == nil {
		return nil, errWrongValueForVar(name, "NULL")
	}
	return valueText(v), nil
}

func checkBool(name string, v engine.Value) (engine.Value, error) {
	switch strings.ToUpper(valueText(v)) {
	case "1", "ON", "TRUE":
		return int64(1), nil
	case "0", "OFF", "FALSE":
		return int64(0), nil
	}
	return nil, errWrongValueForVar(name, valueText(v))
}

func checkInt(name string, v engine.Value) (engine.Value, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case float64:
		return int64(x), nil
	case string:
		if n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64); err == nil {
			return n, nil
		}
	}
	return nil, errWrongTypeForVar(name)
}

// checkSQLMode validates and normalizes a sql_mode list.
func checkSQLMode(v engine.Value) (engine.Value, error) {
	s, ok := v.(string)
	if !ok {
		return nil, errWrongTypeForVar("sql_mode")
	}
	var modes []string
	for _, m := range strings.Split(s, ",") {
		m = strings.ToUpper(strings.TrimSpace(m))
		if m == "" {
			continue
		}
		allowed, known := sqlModes[m]
		if !known {
			return nil, errWrongValueForVar("sql_mode", m)
		}
		if !allowed {
			return nil, errNotSupportedf("sql_mode %s", m)
		}
		modes = append(modes, m)
	}
	return strings.Join(modes, ","), nil
}

func checkTimeZone(v engine.Value) (engine.Value, error) {
	s := valueText(v)
	if !utcZones[strings.ToUpper(strings.TrimSpace(s))] {
		return nil, errNotSupportedf("time_zone %s: Warren keeps time in UTC", s)
	}
	return s, nil
}

func checkConsistency(v engine.Value) (engine.Value, error) {
	s := strings.ToUpper(strings.TrimSpace(valueText(v)))
	if s != "ONE" && s != "QUORUM" && s != "ALL" {
		return nil, errWrongValueForVar("warren_consistency", valueText(v))
	}
	return s, nil
}

func checkIsolation(name string, v engine.Value) (engine.Value, error) {
	s := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(valueText(v)), " ", "-"))
	if !isolationLevels[s] {
		return nil, errWrongValueForVar(name, valueText(v))
	}
	return s, nil
}

// checkCharset accepts the UTF-8 family (and ascii, binary) for character
// sets and their collations; NULL is allowed for character_set_results.
func checkCharset(name string, v engine.Value) (engine.Value, error) {
	if v == nil && name == "character_set_results" {
		return nil, nil
	}
	s := strings.ToLower(strings.TrimSpace(valueText(v)))
	cs := s
	if strings.HasPrefix(name, "collation_") {
		cs, _, _ = strings.Cut(s, "_")
	}
	if !charsets[cs] {
		return nil, errNotSupportedf("character set %s: Warren stores UTF-8", s)
	}
	return s, nil
}

// valueText renders a value the way MySQL shows it in messages.
func valueText(v engine.Value) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case string:
		return x
	case []byte:
		return string(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}
