package main

import (
	"fmt"
	"strings"

	"github.com/warren-db/warren/cmd/internal/timerslack"
)

// envConfig names the environment variable that gives the config file path.
const envConfig = envPrefix + "CONFIG"

// envMap turns KEY=VALUE entries (as from os.Environ) into a map; later
// entries win.
func envMap(environ []string) map[string]string {
	m := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}

// applyEnv applies the WARREN_* variables of env to c. An empty variable
// counts as unset. It returns warnings about WARREN_* variables it does not
// know, and a *ConfigError listing every value it could not parse.
func applyEnv(c *Config, env map[string]string) (warnings []string, err error) {
	known := map[string]bool{envConfig: true, timerslack.Env: true}
	var problems []string
	if err := timerslack.Check(env[timerslack.Env]); err != nil {
		problems = append(problems, err.Error())
	}
	for _, s := range settings() {
		known[s.envName()] = true
		raw := env[s.envName()]
		if raw == "" {
			continue
		}
		if err := s.bind(c).Set(raw); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", s.envName(), err))
		}
	}
	for _, k := range sortedKeys(env) {
		if strings.HasPrefix(k, envPrefix) && !known[k] {
			warnings = append(warnings, fmt.Sprintf("ignoring unknown environment variable %s: see warren --help for the list", k))
		}
	}
	if len(problems) > 0 {
		return warnings, &ConfigError{Problems: problems}
	}
	return warnings, nil
}
