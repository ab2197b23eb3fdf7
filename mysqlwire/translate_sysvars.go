package mysqlwire

import (
	"sort"
	"strings"

	"github.com/warren-db/warren/engine"
)

// sysVar is a system variable Warren knows: its built-in default and whether
// a client may assign it.
type sysVar struct {
	value    engine.Value
	readOnly bool
}

// builtinVars are the system variables and their defaults. Values a server
// knows better (port, hostname, auto_increment_increment, ...) come from
// TranslatorConfig.Variables.
var builtinVars = map[string]sysVar{
	"auto_increment_increment":        {value: int64(1)},
	"auto_increment_offset":           {value: int64(1)},
	"autocommit":                      {value: int64(1)},
	"big_tables":                      {value: int64(0)},
	"character_set_client":            {value: "utf8mb4"},
	"character_set_connection":        {value: "utf8mb4"},
	"character_set_database":          {value: "utf8mb4"},
	"character_set_filesystem":        {value: "binary"},
	"character_set_results":           {value: "utf8mb4"},
	"character_set_server":            {value: "utf8mb4"},
	"character_set_system":            {value: "utf8mb3", readOnly: true},
	"collation_connection":            {value: "utf8mb4_unicode_ci"},
	"collation_database":              {value: "utf8mb4_unicode_ci"},
	"collation_server":                {value: "utf8mb4_unicode_ci"},
	"completion_type":                 {value: "NO_CHAIN"},
	"connect_timeout":                 {value: int64(10)},
	"cte_max_recursion_depth":         {value: int64(1000)},
	"default_storage_engine":          {value: "InnoDB"},
	"default_tmp_storage_engine":      {value: "InnoDB"},
	"default_week_format":             {value: int64(0)},
	"div_precision_increment":         {value: int64(4)},
	"error_count":                     {value: int64(0), readOnly: true},
	"explicit_defaults_for_timestamp": {value: int64(1)},
	"foreign_key_checks":              {value: int64(1)},
	"group_concat_max_len":            {value: int64(1024)},
	"have_query_cache":                {value: "NO", readOnly: true},
	"have_ssl":                        {value: "DISABLED", readOnly: true},
	"hostname":                        {value: "localhost", readOnly: true},
	"init_connect":                    {value: ""},
	"innodb_default_row_format":       {value: "dynamic"},
	"innodb_file_per_table":           {value: int64(1)},
	"innodb_lock_wait_timeout":        {value: int64(50)},
	"innodb_strict_mode":              {value: int64(1)},
	"innodb_version":                  {value: "8.0.36", readOnly: true},
	"interactive_timeout":             {value: int64(28800)},
	"license":                         {value: "Apache-2.0", readOnly: true},
	"lock_wait_timeout":               {value: int64(31536000)},
	"log_bin":                         {value: int64(0), readOnly: true},
	"lower_case_file_system":          {value: int64(0), readOnly: true},
	"lower_case_table_names":          {value: int64(2), readOnly: true},
	"max_allowed_packet":              {value: int64(67108864)},
	"max_connections":                 {value: int64(151)},
	"max_execution_time":              {value: int64(0)},
	"max_heap_table_size":             {value: int64(16777216)},
	"max_join_size":                   {value: "18446744073709551615"},
	"max_sort_length":                 {value: int64(1024)},
	"net_buffer_length":               {value: int64(16384)},
	"net_read_timeout":                {value: int64(30)},
	"net_write_timeout":               {value: int64(60)},
	"performance_schema":              {value: int64(0), readOnly: true},
	"port":                            {value: int64(3306), readOnly: true},
	"protocol_version":                {value: int64(10), readOnly: true},
	"query_cache_size":                {value: int64(0)},
	"query_cache_type":                {value: "OFF"},
	"read_only":                       {value: int64(0)},
	"require_secure_transport":        {value: int64(0)},
	"session_track_schema":            {value: int64(1)},
	"session_track_state_change":      {value: int64(0)},
	"session_track_system_variables":  {value: "time_zone,autocommit,character_set_client,character_set_results,character_set_connection"},
	"session_track_transaction_info":  {value: "OFF"},
	"sort_buffer_size":                {value: int64(262144)},
	"sql_auto_is_null":                {value: int64(0)},
	"sql_big_selects":                 {value: int64(1)},
	"sql_log_bin":                     {value: int64(1)},
	"sql_mode":                        {value: defaultSQLMode},
	"sql_notes":                       {value: int64(1)},
	"sql_quote_show_create":           {value: int64(1)},
	"sql_require_primary_key":         {value: int64(0)},
	"sql_safe_updates":                {value: int64(0)},
	"sql_select_limit":                {value: "18446744073709551615"},
	"sql_warnings":                    {value: int64(0)},
	"storage_engine":                  {value: "InnoDB"},
	"super_read_only":                 {value: int64(0)},
	"system_time_zone":                {value: "UTC", readOnly: true},
	"time_zone":                       {value: "SYSTEM"},
	"tmp_table_size":                  {value: int64(16777216)},
	"transaction_isolation":           {value: "REPEATABLE-READ"},
	"transaction_read_only":           {value: int64(0)},
	"tx_isolation":                    {value: "REPEATABLE-READ"},
	"tx_read_only":                    {value: int64(0)},
	"unique_checks":                   {value: int64(1)},
	"version":                         {readOnly: true}, // TranslatorConfig.ServerVersion
	"version_comment":                 {value: "Warren", readOnly: true},
	"version_compile_machine":         {value: "x86_64", readOnly: true},
	"version_compile_os":              {value: "Linux", readOnly: true},
	"wait_timeout":                    {value: int64(28800)},
	"warning_count":                   {value: int64(0), readOnly: true},
	"warren_consistency":              {value: "QUORUM"},
}

// defaultSQLMode is MySQL 8.0's default sql_mode.
const defaultSQLMode = "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION"

// sessionValueVars are variables whose value comes from SessionInfo fields.
var sessionValueVars = map[string]bool{"last_insert_id": true, "identity": true}

// globalValue returns the server-wide value of a system variable.
func (t *Translator) globalValue(name string) (engine.Value, bool) {
	if v, ok := t.vars[name]; ok {
		return v, true
	}
	return nil, false
}

// sessionValue returns the session's value of a system variable.
func (t *Translator) sessionValue(name string, s *SessionInfo) (engine.Value, error) {
	if sessionValueVars[name] {
		return int64(s.LastInsertID), nil
	}
	if v, ok := s.Vars[name]; ok {
		return v, nil
	}
	if v, ok := t.globalValue(name); ok {
		return v, nil
	}
	return nil, errUnknownSystemVariable(name)
}

// SystemVariable returns the value of a system variable for a session: the
// session's value, else the server default. ok is false for unknown names.
func (t *Translator) SystemVariable(name string, s SessionInfo) (v engine.Value, ok bool) {
	v, err := t.sessionValue(strings.ToLower(name), &s)
	return v, err == nil
}

// variableNames lists the known system variables in order.
func (t *Translator) variableNames() []string {
	names := make([]string, 0, len(t.vars))
	for n := range t.vars {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// mergeVars builds the server-wide values from the built-in defaults and the
// configured overrides.
func mergeVars(version string, overrides map[string]engine.Value) map[string]engine.Value {
	vars := make(map[string]engine.Value, len(builtinVars)+len(overrides))
	for n, v := range builtinVars {
		vars[n] = v.value
	}
	vars["version"] = version
	for n, v := range overrides {
		vars[strings.ToLower(n)] = v
	}
	return vars
}
