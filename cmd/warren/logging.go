package main

import (
	"cmp"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
)

// Log attribute keys used by this command.
const (
	keyComponent = "component"
	keyError     = "error"
)

// newLogger returns the process logger: a text or JSON handler on w at the
// given level. As a last line of defence it replaces any secret value that
// reaches a log line, in the message or an attribute, with [REDACTED].
func newLogger(w io.Writer, format, level string, secrets []string) *slog.Logger {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		lvl = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: lvl, ReplaceAttr: redactor(secrets)}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// redactor returns a ReplaceAttr function that hides secrets; nil if there
// are none.
func redactor(secrets []string) func([]string, slog.Attr) slog.Attr {
	secrets = slices.DeleteFunc(slices.Clone(secrets), func(s string) bool { return s == "" })
	if len(secrets) == 0 {
		return nil
	}
	// Longest first, so a secret that contains another is hidden whole.
	slices.SortFunc(secrets, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	pairs := make([]string, 0, 2*len(secrets))
	for _, s := range secrets {
		pairs = append(pairs, s, redacted)
	}
	r := strings.NewReplacer(pairs...)
	return func(_ []string, a slog.Attr) slog.Attr {
		switch a.Value.Kind() {
		case slog.KindString:
			a.Value = slog.StringValue(r.Replace(a.Value.String()))
		case slog.KindAny:
			if s := fmt.Sprint(a.Value.Any()); r.Replace(s) != s {
				a.Value = slog.StringValue(r.Replace(s))
			}
		}
		return a
	}
}
