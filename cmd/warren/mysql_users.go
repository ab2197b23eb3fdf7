package main

import (
	"fmt"
	"log/slog"
	"strings"

	"github.com/warren-db/warren/mysqlwire"
)

// MySQLUserConfig is one MySQL account from a [[mysql_users]] table:
//
//	[[mysql_users]]
//	name = "blog"
//	password = "${BLOG_DB_PASSWORD}"
//	host = "%"
//	grants = { blog = "write", main = "SELECT, INSERT" }
type MySQLUserConfig struct {
	Name     string
	Password Secret
	Host     string            // "%" (any, the default), "localhost", an address or a pattern with % and _
	Plugin   string            // mysql_native_password or caching_sha2_password; "": the server's default
	Grants   map[string]string // database name or "*" → comma-separated privileges, or read / write / all
}

// LogValue renders an account without its password.
func (u MySQLUserConfig) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", u.Name), slog.String("host", u.Host), slog.Any("grants", u.Grants))
}

// decodeMySQLUsers converts the [[mysql_users]] array of a config file.
func decodeMySQLUsers(v any) ([]MySQLUserConfig, error) {
	return decodeTables("mysql_users", v, decodeMySQLUser)
}

func decodeMySQLUser(m map[string]any) (MySQLUserConfig, error) {
	var u MySQLUserConfig
	for k, v := range m {
		switch k {
		case "name", "password", "host", "plugin":
			s, err := tomlString(v, "a string")
			if err != nil {
				return u, fmt.Errorf("%s: %w", k, err)
			}
			switch k {
			case "name":
				u.Name = s
			case "password":
				u.Password = Secret(s)
			case "host":
				u.Host = s
			default:
				u.Plugin = s
			}
		case "grants":
			g, err := decodeGrants(v)
			if err != nil {
				return u, err
			}
			u.Grants = g
		default:
			return u, fmt.Errorf("unknown key %q: use name, password, host, plugin and grants", k)
		}
	}
	return u, nil
}

func decodeGrants(v any) (map[string]string, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf(`grants: want a table like { main = "write", "*" = "read" }, got %T`, v)
	}
	grants := make(map[string]string, len(m))
	for db, g := range m {
		s, err := tomlString(g, `privileges like "read", "write", "all" or "SELECT, INSERT"`)
		if err != nil {
			return nil, fmt.Errorf("grants.%s: %w", db, err)
		}
		grants[db] = strings.TrimSpace(s)
	}
	return grants, nil
}

// checkMySQLUsers returns a problem for every configured account that is unusable.
func checkMySQLUsers(c *Config) []string {
	var problems []string
	names := map[string]bool{}
	for i, u := range c.MySQLUsers {
		label := fmt.Sprintf("mysql_users[%d]", i)
		switch {
		case u.Name == "":
			problems = append(problems, label+` has no name: add name = "..."`)
		case u.Name == c.MySQLUser:
			problems = append(problems, fmt.Sprintf("%s: user %q is also mysql_user, the administrator: give it another name", label, u.Name))
		case names[u.Name]:
			problems = append(problems, fmt.Sprintf("%s: user %q is defined twice: give each user its own name", label, u.Name))
		}
		names[u.Name] = true
		if u.Name != "" {
			label = fmt.Sprintf("mysql user %q", u.Name)
		}
		if u.Password == "" {
			problems = append(problems, label+` has no password: set password = "..." (for example password = "${BLOG_DB_PASSWORD}")`)
		}
		problems = append(problems, checkGrants(label, u)...)
	}
	return problems
}

// checkGrants checks the plugin and the grants of one account.
func checkGrants(label string, u MySQLUserConfig) []string {
	if len(u.Grants) == 0 {
		return []string{label + ` has no grants: add grants = { main = "write" } (or "*" = "read" for every database)`}
	}
	var problems []string
	if err := (mysqlwire.UserConfig{Name: "x", Plugin: u.Plugin}).Check(); err != nil {
		problems = append(problems, fmt.Sprintf("%s: plugin %q is not one of %s, %s",
			label, u.Plugin, mysqlwire.PluginNative, mysqlwire.PluginSHA2))
	}
	for _, db := range sortedKeys(u.Grants) {
		if db != "*" && databaseName("database", db) != nil {
			problems = append(problems, fmt.Sprintf(`%s has grants on %q, which is not a database name: use a database name or "*"`, label, db))
		}
		one := mysqlwire.UserConfig{Name: "x", Grants: map[string]string{db: u.Grants[db]}}
		if one.Check() != nil {
			problems = append(problems, fmt.Sprintf(`%s: grants on %q are %q: use read, write, all or MySQL privilege names separated by commas (SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, ...)`,
				label, db, u.Grants[db]))
		}
	}
	return problems
}

// mysqlUsers converts the configured accounts; Validate has checked them.
func mysqlUsers(users []MySQLUserConfig) []mysqlwire.UserConfig {
	out := make([]mysqlwire.UserConfig, 0, len(users))
	for _, u := range users {
		out = append(out, mysqlwire.UserConfig{Name: u.Name, Password: u.Password.Reveal(),
			Host: u.Host, Plugin: u.Plugin, Grants: u.Grants})
	}
	return out
}
