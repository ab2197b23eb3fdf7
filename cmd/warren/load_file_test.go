package main

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestLoadFile(t *testing.T) {
	t.Run("every kind of value", func(t *testing.T) {
		file := writeConfig(t, `
data_dir = "/var/lib/warren"
join = ["10.0.0.1:7946"]
cluster_secret = "${SECRET}"
id_slot = 5
busy_timeout = "250ms"
max_body_bytes = "4MiB"
synchronous = "FULL"
cors_origins = ["https://app.example.com"]

[[tokens]]
name = "ci"
token = "${CI_TOKEN}"
[tokens.rights]
main = "write"
"*" = "read"

[[tokens]]
name = "ops"
token = "literal-$not-expanded"
rights = { "*" = "admin" }
`)
		c := parse(t, []string{"SECRET=from-env", "CI_TOKEN=ci-token-value"}, "--config", file)
		want := DefaultConfig()
		want.DataDir, want.Join, want.ClusterSecret = "/var/lib/warren", []string{"10.0.0.1:7946"}, "from-env"
		want.IDSlot, want.BusyTimeout, want.MaxBodyBytes = 5, 250*time.Millisecond, 4*MiB
		want.Synchronous, want.CORSOrigins = "full", []string{"https://app.example.com"}
		want.Tokens = []TokenConfig{
			{Name: "ci", Token: "ci-token-value", Rights: map[string]string{"main": "write", "*": "read"}},
			{Name: "ops", Token: "literal-$not-expanded", Rights: map[string]string{"*": "admin"}},
		}
		if !reflect.DeepEqual(c, want) {
			t.Errorf("config =\n%#v\nwant\n%#v", c, want)
		}
	})
	cases := []struct {
		name, text string
		want       []string
	}{
		{"unset variable", `cluster_secret = "${NOPE}"` + "\nregion = \"${ALSO_NOPE}\"",
			[]string{"uses ${NOPE}, which is not set", "uses ${ALSO_NOPE}, which is not set"}},
		{"unknown key", `dataa_dir = "x"`, []string{`unknown setting "dataa_dir": see warren --help`}},
		{"wrong type", `id_slot = "two"`, []string{`id_slot: got string two, want a whole number`}},
		{"duration as number", `busy_timeout = 5`, []string{`busy_timeout: got int64 5, want a duration string like "5s"`}},
		{"bad enum", `log_format = "xml"`, []string{`log_format: "xml" is not one of text, json`}},
		{"token key", "[[tokens]]\nname = \"a\"\nsecret = \"x\"", []string{`tokens[0]: unknown key "secret"`}},
		{"tokens not tables", `tokens = "abc"`, []string{"tokens: want [[tokens]] tables"}},
		{"syntax", `data_dir = `, []string{"parse config file"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			msg := parseErr(t, nil, "--config", writeConfig(t, tc.text)).Error()
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
		})
	}
}
