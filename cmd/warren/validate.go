package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ConfigError lists every problem found while reading or checking the
// configuration. The program prints it and exits with status 2.
type ConfigError struct {
	Problems []string
}

// Error lists the problems, one per line when there are several.
func (e *ConfigError) Error() string {
	if len(e.Problems) == 1 {
		return "invalid configuration: " + e.Problems[0]
	}
	return "invalid configuration:\n  - " + strings.Join(e.Problems, "\n  - ")
}

// configErrorf returns a ConfigError with one problem.
func configErrorf(format string, args ...any) *ConfigError {
	return &ConfigError{Problems: []string{fmt.Sprintf(format, args...)}}
}

// Validate checks every setting and returns a *ConfigError listing all
// problems at once, each saying what to change; nil if there are none.
func (c Config) Validate() error {
	var problems []string
	for _, s := range settings() {
		if ev, ok := s.bind(&c).(enumValue); ok && !slices.Contains(ev.choices, *ev.p) {
			problems = append(problems, fmt.Sprintf("%s %q is not one of %s",
				s.key, *ev.p, strings.Join(ev.choices, ", ")))
		}
		if s.check == nil {
			continue
		}
		problems = append(problems, messages(s.check(&c))...)
	}
	problems = append(problems, checkTokens(c.Tokens)...)
	problems = append(problems, checkMySQLUsers(&c)...)
	if len(problems) > 0 {
		return &ConfigError{Problems: problems}
	}
	return nil
}

// messages returns the message of err, or of each error it joins.
func messages(err error) []string {
	if err == nil {
		return nil
	}
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return []string{err.Error()}
	}
	var out []string
	for _, e := range joined.Unwrap() {
		out = append(out, messages(e)...)
	}
	return out
}

// problemsOf returns the problems of a *ConfigError, or err's message.
func problemsOf(err error) []string {
	var ce *ConfigError
	if errors.As(err, &ce) {
		return ce.Problems
	}
	if err != nil {
		return []string{err.Error()}
	}
	return nil
}
