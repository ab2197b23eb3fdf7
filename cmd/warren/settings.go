package main

import (
	"strings"
	"time"
)

// setting describes one configuration setting. The table below is the single
// source of truth: flags, environment variables, the config file keys,
// --help and Validate are all generated from it.
type setting struct {
	key   string                // TOML key; the flag and env var derive from it
	arg   string                // placeholder in --help ("ADDR"); enums list their choices
	group string                // heading in --help
	help  string                // one sentence for --help
	bind  func(c *Config) value // the Config field this setting sets
	check func(c *Config) error // nil: parsing is all the checking there is
}

// flagName is the setting's flag, without dashes: data_dir → data-dir.
func (s setting) flagName() string { return strings.ReplaceAll(s.key, "_", "-") }

// envName is the setting's environment variable: data_dir → WARREN_DATA_DIR.
func (s setting) envName() string { return envPrefix + strings.ToUpper(s.key) }

// envPrefix starts every environment variable Warren reads.
const envPrefix = "WARREN_"

// settingGroups orders the headings of --help.
var settingGroups = []string{"Node", "Cluster", "MySQL", "Change data capture", "Engine", "HTTP API", "Logging"}

// settings returns the table of every setting, in --help order.
func settings() []setting {
	var out []setting
	for _, part := range [][]setting{nodeSettings(), clusterSettings(), mysqlSettings(),
		cdcSettings(), engineSettings(), apiSettings(), logSettings()} {
		out = append(out, part...)
	}
	return out
}

// lookupSetting finds a setting by its TOML key.
func lookupSetting(key string) (setting, bool) {
	for _, s := range settings() {
		if s.key == key {
			return s, true
		}
	}
	return setting{}, false
}

func str(f func(c *Config) *string) func(c *Config) value {
	return func(c *Config) value { return stringValue{f(c)} }
}

func enum(f func(c *Config) *string, choices ...string) func(c *Config) value {
	return func(c *Config) value { return enumValue{f(c), choices} }
}

func secret(f func(c *Config) *Secret) func(c *Config) value {
	return func(c *Config) value { return secretValue{f(c)} }
}

func integer(f func(c *Config) *int) func(c *Config) value {
	return func(c *Config) value { return intValue{f(c)} }
}

func number(f func(c *Config) *float64) func(c *Config) value {
	return func(c *Config) value { return floatValue{f(c)} }
}

func list(f func(c *Config) *[]string) func(c *Config) value {
	return func(c *Config) value { return &listValue{p: f(c)} }
}

func duration(f func(c *Config) *time.Duration) func(c *Config) value {
	return func(c *Config) value { return durationValue{f(c)} }
}

func size(f func(c *Config) *ByteSize) func(c *Config) value {
	return func(c *Config) value { return sizeValue{f(c)} }
}
