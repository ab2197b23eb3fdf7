package main

import (
	"fmt"
	"io"
	"strings"
)

const usageHead = `Warren is a leaderless, replicated SQLite database.

Usage:
  warren [serve] [flags]   start a node
  warren version           print the version
  warren bench [args]      run the load generator warren-bench, if installed
  warren help              print this help

Settings come from, later sources winning: built-in defaults, the TOML file
named by --config (or WARREN_CONFIG), WARREN_* environment variables, flags.
In the file a setting's key is its flag name with '_' for '-', as in
data_dir = "/var/lib/warren", and ${NAME} inside a string is replaced by the
environment variable NAME. An empty environment variable counts as unset.
Durations are Go durations (5s, 1m30s); sizes are bytes or carry a KiB, MiB
or GiB suffix (16MiB); lists are comma-separated (TOML arrays in the file).

  --config FILE
      TOML config file.
      [env WARREN_CONFIG; default none]
`

const usageTokens = `
API tokens (config file only):
  Without tokens the HTTP API is open to anyone who can reach it. A token is
  sent as "Authorization: Bearer <token>". Rights are read, write or admin,
  per database; "*" is every database.

  [[tokens]]
  name = "ci"
  token = "${CI_TOKEN}"
  [tokens.rights]
  main = "write"
  "*" = "read"
`

const usageMySQLUsers = `
MySQL accounts (config file only):
  More MySQL accounts beside mysql_user. Grants are per database ("*" is every
  database): read (SELECT), write (SELECT, INSERT, UPDATE, DELETE), all, or
  MySQL privilege names separated by commas. host is a MySQL host pattern
  (default "%"). These accounts cannot be changed with SQL.

  [[mysql_users]]
  name = "blog"
  password = "${BLOG_DB_PASSWORD}"
  grants = { blog = "write", main = "SELECT, INSERT" }
`

const usageProcess = `
Process (environment only, read before the node starts):
  GOGC                    garbage collector target; default 400
  WARREN_TIMER_SLACK_US   how late, in microseconds, the kernel may fire this
                          process's timers; default 1000 (0 keeps the slack
                          the process started with, normally 50)
`

// writeUsage renders --help from the settings table, with the defaults of
// DefaultConfig.
func writeUsage(w io.Writer) error {
	var b strings.Builder
	b.WriteString(usageHead)
	defaults := DefaultConfig()
	for _, group := range settingGroups {
		fmt.Fprintf(&b, "\n%s:\n", group)
		for _, s := range settings() {
			if s.group == group {
				writeSetting(&b, s, &defaults)
			}
		}
	}
	b.WriteString(usageTokens)
	b.WriteString(usageMySQLUsers)
	b.WriteString(usageProcess)
	_, err := io.WriteString(w, b.String())
	return err
}

func writeSetting(b *strings.Builder, s setting, defaults *Config) {
	v := s.bind(defaults)
	arg := s.arg
	if ev, ok := v.(enumValue); ok {
		arg = strings.Join(ev.choices, "|")
	}
	def := v.String()
	if def == "" {
		def = "none"
	}
	fmt.Fprintf(b, "  --%s %s\n      %s\n      [env %s; toml %s; default %s]\n",
		s.flagName(), arg, s.help, s.envName(), s.key, def)
}
