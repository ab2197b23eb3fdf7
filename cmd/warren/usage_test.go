package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestRun_Help(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"serve", "--help"}} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, nil, &stdout, &stderr); code != exitOK {
			t.Fatalf("%q: exit status %d, want 0 (stderr %q)", args, code, stderr.String())
		}
		help := stdout.String()
		defaults := DefaultConfig()
		for _, s := range settings() {
			def := s.bind(&defaults).String()
			if def == "" {
				def = "none"
			}
			for _, want := range []string{"--" + s.flagName() + " ", s.envName(), "toml " + s.key + ";", "default " + def + "]", s.help} {
				if !strings.Contains(help, want) {
					t.Errorf("%q: help does not contain %q", args, want)
				}
			}
		}
		for _, want := range []string{"--config FILE", "WARREN_CONFIG", "[[tokens]]", "[tokens.rights]"} {
			if !strings.Contains(help, want) {
				t.Errorf("%q: help does not contain %q", args, want)
			}
		}
	}
}

func TestSettings_Table(t *testing.T) {
	want := []string{"data_dir", "http_addr", "mysql_addr", "gossip_addr", "quic_addr", "join",
		"cluster_secret", "node_id", "region", "mysql_user", "mysql_password", "cdc_nats_url",
		"cdc_subject_prefix", "default_database", "id_slot", "id_stride", "synchronous", "busy_timeout",
		"read_conns", "max_batch", "group_commit_window", "query_timeout", "max_rows", "tx_idle_timeout", "max_body_bytes",
		"max_statements", "cors_origins", "default_consistency", "log_format", "log_level"}
	seen := map[string]bool{}
	for _, s := range settings() {
		if seen[s.key] {
			t.Errorf("setting %q is listed twice", s.key)
		}
		seen[s.key] = true
		if s.help == "" || s.group == "" {
			t.Errorf("setting %q has no help or group", s.key)
		}
		if s.bind(&Config{}) == nil {
			t.Errorf("setting %q binds nothing", s.key)
		}
	}
	for _, k := range want {
		if !seen[k] {
			t.Errorf("setting %q is missing", k)
		}
	}
	if got := (setting{key: "cdc_nats_url"}); got.flagName() != "cdc-nats-url" || got.envName() != "WARREN_CDC_NATS_URL" {
		t.Errorf("cdc_nats_url: flag %q, env %q", got.flagName(), got.envName())
	}
}

func TestRun_Commands(t *testing.T) {
	cases := []struct {
		args       []string
		code       int
		out, inErr string
	}{
		{[]string{"version"}, exitOK, "warren dev\n", ""},
		{[]string{"--version"}, exitOK, "warren dev\n", ""},
		{[]string{"frobnicate"}, exitUsage, "", `unknown command "frobnicate"`},
	}
	for _, tc := range cases {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), tc.args, nil, &stdout, &stderr)
		if code != tc.code || stdout.String() != tc.out || !strings.Contains(stderr.String(), tc.inErr) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want %d, %q, stderr containing %q",
				tc.args, code, stdout.String(), stderr.String(), tc.code, tc.out, tc.inErr)
		}
	}
}
