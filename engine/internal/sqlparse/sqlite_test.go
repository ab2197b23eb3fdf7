package sqlparse

import (
	"os/exec"
	"strings"
	"testing"
)

// runSQLite runs script in the sqlite3 command-line shell on an in-memory
// database and returns its output. It skips the test if sqlite3 is not
// installed (apt-get install sqlite3) and fails it on any SQL error.
func runSQLite(t *testing.T, script string) string {
	t.Helper()
	bin, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("sqlite3 command-line shell not installed")
	}
	cmd := exec.Command(bin, "-bail", "-batch", ":memory:")
	cmd.Stdin = strings.NewReader(script)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sqlite3: %v\n%s\nscript:\n%s", err, out, script)
	}
	return string(out)
}
