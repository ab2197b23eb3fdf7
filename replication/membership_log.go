package replication

import (
	"context"
	"log"
	"log/slog"
	"strings"
)

// memberlistLevels maps memberlist's "[LEVEL] " line prefixes to slog levels.
var memberlistLevels = []struct {
	prefix string
	level  slog.Level
}{
	{"[DEBUG] ", slog.LevelDebug},
	{"[INFO] ", slog.LevelInfo},
	{"[WARN] ", slog.LevelWarn},
	{"[ERR] ", slog.LevelError},
	{"[ERROR] ", slog.LevelError},
}

// newMemberlistLogger bridges memberlist's *log.Logger to l with
// slog.NewLogLogger, giving each line the level its prefix names.
func newMemberlistLogger(l *slog.Logger) *log.Logger {
	return slog.NewLogLogger(levelPrefixHandler{inner: l.Handler()}, slog.LevelInfo)
}

// levelPrefixHandler re-levels records whose message starts with a
// memberlist level prefix, and strips that prefix.
type levelPrefixHandler struct {
	inner slog.Handler
}

// Enabled defers the decision to Handle, which knows the real level.
func (h levelPrefixHandler) Enabled(context.Context, slog.Level) bool { return true }

// Handle re-levels r and passes it on when the inner handler wants that level.
func (h levelPrefixHandler) Handle(ctx context.Context, r slog.Record) error {
	msg, level := r.Message, r.Level
	for _, p := range memberlistLevels {
		if rest, ok := strings.CutPrefix(msg, p.prefix); ok {
			msg, level = rest, p.level
			break
		}
	}
	if !h.inner.Enabled(ctx, level) {
		return nil
	}
	out := slog.NewRecord(r.Time, level, strings.TrimPrefix(msg, "memberlist: "), r.PC)
	r.Attrs(func(a slog.Attr) bool { out.AddAttrs(a); return true })
	return h.inner.Handle(ctx, out)
}

// WithAttrs wraps the inner handler's WithAttrs.
func (h levelPrefixHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return levelPrefixHandler{inner: h.inner.WithAttrs(attrs)}
}

// WithGroup wraps the inner handler's WithGroup.
func (h levelPrefixHandler) WithGroup(name string) slog.Handler {
	return levelPrefixHandler{inner: h.inner.WithGroup(name)}
}
