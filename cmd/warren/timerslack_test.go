package main

import (
	"strings"
	"testing"

	"github.com/warren-db/warren/cmd/internal/timerslack"
)

func TestTimerSlack_BadValueIsAConfigError(t *testing.T) {
	for _, raw := range []string{"abc", "-1", "1ms", "100001"} {
		c := DefaultConfig()
		warnings, err := applyEnv(&c, map[string]string{timerslack.Env: raw})
		if err == nil || !strings.Contains(err.Error(), timerslack.Env) {
			t.Errorf("%q: error %v, want one naming %s", raw, err, timerslack.Env)
		}
		if len(warnings) > 0 {
			t.Errorf("%q: warnings %q: the variable is known", raw, warnings)
		}
	}
	c := DefaultConfig()
	if _, err := applyEnv(&c, map[string]string{timerslack.Env: "300"}); err != nil {
		t.Fatalf("300: %v", err)
	}
}
