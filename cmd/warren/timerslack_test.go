package main

import (
	"strings"
	"testing"
)

func TestTimerSlack_BadValueIsAConfigError(t *testing.T) {
	for _, raw := range []string{"abc", "-1", "1ms", "100001"} {
		c := DefaultConfig()
		warnings, err := applyEnv(&c, map[string]string{envTimerSlack: raw})
		if err == nil || !strings.Contains(err.Error(), envTimerSlack) {
			t.Errorf("%q: error %v, want one naming %s", raw, err, envTimerSlack)
		}
		if len(warnings) > 0 {
			t.Errorf("%q: warnings %q: the variable is known", raw, warnings)
		}
	}
	c := DefaultConfig()
	if _, err := applyEnv(&c, map[string]string{envTimerSlack: "300"}); err != nil {
		t.Fatalf("300: %v", err)
	}
}
