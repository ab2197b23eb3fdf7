package main

import "log/slog"

// Secret is a setting that must never be printed or logged: the cluster
// secret, the MySQL administrator password and API tokens. Its String,
// GoString and LogValue hide the value; Reveal returns it.
type Secret string

// redacted replaces a secret in every rendering.
const redacted = "[REDACTED]"

// Reveal returns the secret's value, for the component that needs it.
func (s Secret) Reveal() string { return string(s) }

// String hides the secret; it keeps fmt's %v and %s from leaking it.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString hides the secret from %#v.
func (s Secret) GoString() string { return `"` + s.String() + `"` }

// LogValue hides the secret from slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// LogValue renders a token without its secret.
func (t TokenConfig) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", t.Name), slog.Any("rights", t.Rights))
}
