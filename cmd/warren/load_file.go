package main

import (
	"fmt"
	"os"
	"regexp"

	"github.com/BurntSushi/toml"
)

// envRefRE matches ${NAME} in config file strings.
var envRefRE = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// loadFile applies the TOML file at path to c. In string values, ${NAME} is
// replaced by the environment variable NAME, which must be set.
func loadFile(c *Config, path string, lookup func(string) (string, bool)) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return configErrorf("read config file: %v", err)
	}
	var doc map[string]any
	if _, err := toml.Decode(string(data), &doc); err != nil {
		return configErrorf("parse config file %s: %v", path, err)
	}
	var missing []string
	expanded := expandEnv(doc, lookup, &missing).(map[string]any)
	var problems []string
	for _, name := range missing {
		problems = append(problems, fmt.Sprintf("config file %s uses ${%s}, which is not set in the environment", path, name))
	}
	for _, key := range sortedKeys(expanded) {
		if err := applyFileKey(c, key, expanded[key]); err != nil {
			problems = append(problems, fmt.Sprintf("config file %s: %v", path, err))
		}
	}
	if len(problems) > 0 {
		return &ConfigError{Problems: problems}
	}
	return nil
}

// applyFileKey sets one top-level key of the config file.
func applyFileKey(c *Config, key string, v any) error {
	if key == "replicate" {
		rep, err := decodeReplicate(v)
		if err != nil {
			return err
		}
		c.Replicate = rep
		return nil
	}
	if key == "mysql_users" {
		users, err := decodeMySQLUsers(v)
		if err != nil {
			return err
		}
		c.MySQLUsers = users
		return nil
	}
	if key == "tokens" {
		tokens, err := decodeTokens(v)
		if err != nil {
			return err
		}
		c.Tokens = tokens
		return nil
	}
	s, ok := lookupSetting(key)
	if !ok {
		return fmt.Errorf("unknown setting %q: see warren --help for the list", key)
	}
	if err := s.bind(c).setTOML(v); err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	return nil
}

// expandEnv replaces ${NAME} in every string inside v, recording unset names.
func expandEnv(v any, lookup func(string) (string, bool), missing *[]string) any {
	switch t := v.(type) {
	case string:
		return envRefRE.ReplaceAllStringFunc(t, func(ref string) string {
			name := ref[2 : len(ref)-1]
			val, ok := lookup(name)
			if !ok {
				*missing = append(*missing, name)
			}
			return val
		})
	case []any:
		for i := range t {
			t[i] = expandEnv(t[i], lookup, missing)
		}
	case []map[string]any:
		for i := range t {
			t[i] = expandEnv(t[i], lookup, missing).(map[string]any)
		}
	case map[string]any:
		for k := range t {
			t[k] = expandEnv(t[k], lookup, missing)
		}
	}
	return v
}
