package replication

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func TestMemberlistLogger_Levels(t *testing.T) {
	var buf bytes.Buffer
	l := newMemberlistLogger(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo})))
	l.Printf("[DEBUG] memberlist: Stream connection from=127.0.0.1:1")
	l.Printf("[WARN] memberlist: Was able to connect to n2 over TCP but UDP probes failed")
	l.Printf("[ERR] memberlist: Conflicting address for n1")
	out := buf.String()
	if strings.Contains(out, "Stream connection") {
		t.Errorf("debug line logged at info level:\n%s", out)
	}
	for _, want := range []string{`level=WARN msg="Was able to connect`, `level=ERROR msg="Conflicting address for n1"`} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
}
