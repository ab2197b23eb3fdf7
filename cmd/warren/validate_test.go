package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func TestConfig_Validate(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(c *Config)
		want   string // "" means valid
	}{
		{"defaults", func(c *Config) {}, ""},
		{"id_slot zero means assigned", func(c *Config) { c.IDSlot = 0 }, ""},
		{"id_slot negative", func(c *Config) { c.IDSlot = -1 },
			"id_slot -1 is out of range: use 1..32 (id_stride)"},
		{"gc retention below delta sync", func(c *Config) { c.GCMinRetentionHours, c.DeltaSyncThresholdSeconds = 1, 7200 },
			"gc_min_retention_hours*3600 >= delta_sync_threshold_seconds is broken: 1*3600 = 3600 < 7200; raise gc_min_retention_hours to 2 or lower delta_sync_threshold_seconds to 3600"},
		{"gc max below min", func(c *Config) { c.GCMinRetentionHours, c.GCMaxRetentionHours = 48, 24 },
			"gc_max_retention_hours 24 is below gc_min_retention_hours 48"},
		{"id_slot above stride", func(c *Config) { c.IDSlot, c.IDStride = 9, 8 },
			"id_slot 9 is out of range: use 1..8 (id_stride)"},
		{"id_stride zero", func(c *Config) { c.IDStride = 0 }, "id_stride 0 is out of range: use 1..65536"},
		{"empty data_dir", func(c *Config) { c.DataDir = "" }, "data_dir is empty"},
		{"http_addr without port", func(c *Config) { c.HTTPAddr = "8080" },
			`http_addr "8080" is not host:port: use a form like ":8080"`},
		{"port too large", func(c *Config) { c.QUICAddr = ":70000" },
			`quic_addr ":70000": port "70000" is not a number in 0..65535`},
		{"join without secret", func(c *Config) { c.Join = []string{"10.0.0.1:7946"} },
			"join is set but cluster_secret is empty: set --cluster-secret or WARREN_CLUSTER_SECRET"},
		{"join entry", func(c *Config) { c.Join, c.ClusterSecret = []string{"not a host"}, "s" },
			`join entry "not a host" is not host:port or a DNS name`},
		{"dns seed", func(c *Config) { c.Join, c.ClusterSecret = []string{"app.internal", "[::1]:7946"}, "s" }, ""},
		{"mysql user without password", func(c *Config) { c.MySQLUser = "admin" },
			`mysql_user "admin" has no password: set --mysql-password or WARREN_MYSQL_PASSWORD`},
		{"mysql password without user", func(c *Config) { c.MySQLPassword = "pw" },
			"mysql_password is set but mysql_user is empty"},
		{"nats scheme", func(c *Config) { c.CDCNATSURL = "http://user:pw@nats:4222" },
			`cdc_nats_url "http://user:xxxxx@nats:4222" has scheme http: use nats://`},
		{"nats list", func(c *Config) { c.CDCNATSURL = "nats://a:4222, b:4222,tls://c:4222" }, ""},
		{"subject prefix", func(c *Config) { c.CDCSubjectPrefix = "a.*" }, `cdc_subject_prefix "a.*" is not a NATS subject`},
		{"default_database", func(c *Config) { c.DefaultDatabase = "my db" }, `default_database "my db" is not a valid database name`},
		{"region", func(c *Config) { c.Region = "" }, `region "" is not a valid name`},
		{"node_id", func(c *Config) { c.NodeID = "n/1" }, `node_id "n/1" is not a valid name`},
		{"negative busy_timeout", func(c *Config) { c.BusyTimeout = -time.Second },
			"busy_timeout -1s is negative: use 0s or more"},
		{"zero query_timeout", func(c *Config) { c.QueryTimeout = 0 }, "query_timeout 0s is not positive"},
		{"read_conns", func(c *Config) { c.ReadConns = 0 }, "read_conns 0 is out of range: use 1..256"},
		{"group_commit_window off", func(c *Config) { c.GroupCommitWindow = 0 }, ""},
		{"group_commit_window too long", func(c *Config) { c.GroupCommitWindow = time.Second },
			"group_commit_window 1s is out of range: use 0..100ms"},
		{"group_commit_window negative", func(c *Config) { c.GroupCommitWindow = -time.Millisecond },
			"group_commit_window -1ms is out of range: use 0..100ms"},
		{"tiny body", func(c *Config) { c.MaxBodyBytes = 10 }, "max_body_bytes 10 is too small: use at least 1KiB"},
		{"transaction larger than a replication message", func(c *Config) { c.MaxTxBytes = 100 * MiB },
			"max_transaction_bytes 100MiB is out of range: use 64KiB..48MiB (peers receive a transaction's changes in one message of at most 64MiB)"},
		{"max_statements", func(c *Config) { c.MaxStatements = 0 }, "max_statements 0 is out of range"},
		{"cors origin with path", func(c *Config) { c.CORSOrigins = []string{"https://a.example/app"} },
			`cors_origins entry "https://a.example/app" is not an origin`},
		{"cors origins", func(c *Config) { c.CORSOrigins = []string{"*", "http://localhost:3000", "https://*.example.com"} }, ""},
		{"enum set directly", func(c *Config) { c.Synchronous = "off" }, `synchronous "off" is not one of normal, full`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultConfig()
			tc.mutate(&c)
			err := c.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tc.want != "" && err == nil:
				t.Fatalf("Validate() = nil, want %q", tc.want)
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Fatalf("Validate() = %q, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestConfig_ValidateReportsAllProblems(t *testing.T) {
	c := DefaultConfig()
	c.IDSlot, c.Region, c.LogLevel = 40, "", "loud"
	c.Tokens = []TokenConfig{{Name: "ci"}}
	err := c.Validate()
	ce, ok := err.(*ConfigError)
	if !ok {
		t.Fatalf("Validate() = %v, want a *ConfigError", err)
	}
	want := []string{`region ""`, "id_slot 40", `log_level "loud"`, `token "ci" has an empty token`, `token "ci" has no rights`}
	if len(ce.Problems) != len(want) {
		t.Fatalf("problems = %q, want %d of them", ce.Problems, len(want))
	}
	for i, w := range want {
		if !strings.Contains(ce.Problems[i], w) {
			t.Errorf("problem %d = %q, want it to contain %q", i, ce.Problems[i], w)
		}
	}
}

func TestCheckTokens(t *testing.T) {
	ok := map[string]string{"main": "write", "*": "read"}
	cases := []struct {
		name   string
		tokens []TokenConfig
		want   []string
	}{
		{"valid", []TokenConfig{{Name: "a", Token: "t1", Rights: ok}, {Name: "b", Token: "t2", Rights: map[string]string{"*": "ADMIN"}}}, nil},
		{"no name", []TokenConfig{{Token: "t", Rights: ok}}, []string{`tokens[0] has no name`}},
		{"duplicate name", []TokenConfig{{Name: "a", Token: "t1", Rights: ok}, {Name: "a", Token: "t2", Rights: ok}},
			[]string{`token "a" is defined twice`}},
		{"duplicate secret", []TokenConfig{{Name: "a", Token: "s3cr3t-dup", Rights: ok}, {Name: "b", Token: "s3cr3t-dup", Rights: ok}},
			[]string{`token "b" has the same token as token "a"`}},
		{"bad right", []TokenConfig{{Name: "a", Token: "t", Rights: map[string]string{"main": "rw"}}},
			[]string{`token "a": right "rw" on "main" is not one of read, write, admin`}},
		{"bad database", []TokenConfig{{Name: "a", Token: "t", Rights: map[string]string{"a b": "read"}}},
			[]string{`token "a" has rights on "a b", which is not a database name`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := checkTokens(tc.tokens)
			if len(got) != len(tc.want) {
				t.Fatalf("checkTokens() = %q, want %d problems", got, len(tc.want))
			}
			for i, w := range tc.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("problem %q does not contain %q", got[i], w)
				}
			}
			for _, p := range got {
				if strings.Contains(p, "s3cr3t") {
					t.Errorf("problem %q shows a token's secret", p)
				}
			}
		})
	}
}

func TestRun_BadConfigExits2(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"--id-slot", "33", "--region", ""}, nil, &stdout, &stderr)
	if code != exitUsage {
		t.Errorf("exit status %d, want %d", code, exitUsage)
	}
	for _, w := range []string{"id_slot 33 is out of range: use 1..32 (id_stride)", `region "" is not a valid name`} {
		if !strings.Contains(stderr.String(), w) {
			t.Errorf("stderr %q does not contain %q", stderr.String(), w)
		}
	}
}
