package main

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// secretEnv satisfies "join needs cluster_secret" without touching the
// settings under test.
var secretEnv = "WARREN_CLUSTER_SECRET=test-secret-0123456789"

func TestParseFlags_Precedence(t *testing.T) {
	cases := []struct {
		key                    string
		file, env, flag        string // TOML literal, env value, flag value
		get                    func(Config) any
		def, inFile, inEnv, in any
	}{
		{key: "data_dir", file: `"/from/file"`, env: "/from/env", flag: "/from/flag",
			get: func(c Config) any { return c.DataDir },
			def: "./warren-data", inFile: "/from/file", inEnv: "/from/env", in: "/from/flag"},
		{key: "http_addr", file: `"127.0.0.1:1001"`, env: "127.0.0.1:1002", flag: "127.0.0.1:1003",
			get: func(c Config) any { return c.HTTPAddr },
			def: ":8080", inFile: "127.0.0.1:1001", inEnv: "127.0.0.1:1002", in: "127.0.0.1:1003"},
		{key: "join", file: `["10.0.0.1:7946", "10.0.0.2:7946"]`, env: "a.internal, b.internal", flag: "c.internal:7946",
			get: func(c Config) any { return c.Join },
			def: []string(nil), inFile: []string{"10.0.0.1:7946", "10.0.0.2:7946"},
			inEnv: []string{"a.internal", "b.internal"}, in: []string{"c.internal:7946"}},
		{key: "cors_origins", file: `["https://a.example"]`, env: "https://b.example,https://c.example", flag: "*",
			get: func(c Config) any { return c.CORSOrigins },
			def: []string(nil), inFile: []string{"https://a.example"},
			inEnv: []string{"https://b.example", "https://c.example"}, in: []string{"*"}},
		{key: "busy_timeout", file: `"7s"`, env: "8s", flag: "1m30s",
			get: func(c Config) any { return c.BusyTimeout },
			def: 5 * time.Second, inFile: 7 * time.Second, inEnv: 8 * time.Second, in: 90 * time.Second},
		{key: "max_body_bytes", file: `1048576`, env: "2MiB", flag: "512KiB",
			get: func(c Config) any { return c.MaxBodyBytes },
			def: 16 * MiB, inFile: MiB, inEnv: 2 * MiB, in: 512 * KiB},
		{key: "id_slot", file: `2`, env: "3", flag: "4",
			get: func(c Config) any { return c.IDSlot },
			def: 0, inFile: 2, inEnv: 3, in: 4},
		{key: "log_level", file: `"warn"`, env: "ERROR", flag: "debug",
			get: func(c Config) any { return c.LogLevel },
			def: "info", inFile: "warn", inEnv: "error", in: "debug"},
		{key: "cluster_secret", file: `"from-file"`, env: "from-env", flag: "from-flag",
			get: func(c Config) any { return c.ClusterSecret.Reveal() },
			def: "", inFile: "from-file", inEnv: "from-env", in: "from-flag"},
	}
	for _, tc := range cases {
		t.Run(tc.key, func(t *testing.T) {
			s, ok := lookupSetting(tc.key)
			if !ok {
				t.Fatalf("no setting %q", tc.key)
			}
			base := []string{}
			if tc.key != "cluster_secret" {
				base = append(base, secretEnv)
			}
			file := writeConfig(t, tc.key+" = "+tc.file+"\n")
			env := append(base, s.envName()+"="+tc.env)
			flag := "--" + s.flagName() + "=" + tc.flag

			check := func(layer string, c Config, want any) {
				t.Helper()
				if got := tc.get(c); !reflect.DeepEqual(got, want) {
					t.Errorf("%s: %s = %#v, want %#v", layer, tc.key, got, want)
				}
			}
			check("defaults", parse(t, base), tc.def)
			check("file", parse(t, base, "--config", file), tc.inFile)
			check("env", parse(t, env, "--config", file), tc.inEnv)
			check("flag", parse(t, env, "--config", file, flag), tc.in)
		})
	}
}

func TestParseFlags_Lists(t *testing.T) {
	file := writeConfig(t, `join = ["file-a:7946", "file-b:7946"]`)
	t.Run("flags replace the file's list", func(t *testing.T) {
		c := parse(t, []string{secretEnv}, "--config", file, "--join", "flag-a:7946")
		if want := []string{"flag-a:7946"}; !reflect.DeepEqual(c.Join, want) {
			t.Errorf("join = %q, want %q", c.Join, want)
		}
	})
	t.Run("repeated flags add up", func(t *testing.T) {
		c := parse(t, []string{secretEnv}, "--join", "a:1,b:2", "--join", "c:3")
		if want := []string{"a:1", "b:2", "c:3"}; !reflect.DeepEqual(c.Join, want) {
			t.Errorf("join = %q, want %q", c.Join, want)
		}
	})
	t.Run("a TOML string is a comma-separated list", func(t *testing.T) {
		c := parse(t, []string{secretEnv}, "--config", writeConfig(t, `join = "x:1, y:2"`))
		if want := []string{"x:1", "y:2"}; !reflect.DeepEqual(c.Join, want) {
			t.Errorf("join = %q, want %q", c.Join, want)
		}
	})
}

func TestParseFlags_ConfigPath(t *testing.T) {
	fromEnv := writeConfig(t, `region = "from-env-file"`)
	fromFlag := writeConfig(t, `region = "from-flag-file"`)
	env := []string{"WARREN_CONFIG=" + fromEnv}
	if got := parse(t, env).Region; got != "from-env-file" {
		t.Errorf("WARREN_CONFIG: region = %q, want from-env-file", got)
	}
	if got := parse(t, env, "--config", fromFlag).Region; got != "from-flag-file" {
		t.Errorf("--config over WARREN_CONFIG: region = %q, want from-flag-file", got)
	}
}

func TestParseFlags_EmptyEnvIsUnset(t *testing.T) {
	c := parse(t, []string{"WARREN_REGION=", "WARREN_HTTP_ADDR="})
	if c.Region != "local" || c.HTTPAddr != ":8080" {
		t.Errorf("region %q, http_addr %q: want the defaults local and :8080", c.Region, c.HTTPAddr)
	}
}

func TestParseFlags_ParseErrors(t *testing.T) {
	cases := []struct {
		name string
		env  []string
		args []string
		want []string
	}{
		{name: "bad duration flag", args: []string{"--busy-timeout", "5"},
			want: []string{`--busy-timeout: "5" is not a duration: use a Go duration like 5s`}},
		{name: "unknown flag", args: []string{"--no-such-flag"},
			want: []string{"no-such-flag", "warren --help"}},
		{name: "stray argument", args: []string{"--region", "eu", "extra"},
			want: []string{`unexpected argument "extra"`}},
		{name: "env problems all at once",
			env: []string{"WARREN_ID_SLOT=one", "WARREN_MAX_BODY_BYTES=16MB", "WARREN_LOG_FORMAT=xml"},
			want: []string{`WARREN_ID_SLOT: "one" is not a whole number`,
				`WARREN_MAX_BODY_BYTES: "16MB" is not a size: use bytes or a KiB, MiB or GiB suffix`,
				`WARREN_LOG_FORMAT: "xml" is not one of text, json`}},
		{name: "missing config file", args: []string{"--config", "/nonexistent/warren.toml"},
			want: []string{"read config file", "/nonexistent/warren.toml"}},
		{name: "every source at once",
			env:  []string{"WARREN_READ_CONNS=many"},
			args: []string{"--config", writeConfig(t, `max_rows = "lots"`), "--synchronous", "off", "--busy-timeout", "5", "--id-slot", "40"},
			want: []string{`max_rows: got string lots, want a whole number`, `WARREN_READ_CONNS: "many" is not a whole number`,
				`--synchronous: "off" is not one of normal, full`, `--busy-timeout: "5" is not a duration`,
				"id_slot 40 is out of range: use 1..32 (id_stride)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			msg := parseErr(t, tc.env, tc.args...).Error()
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
		})
	}
}

func TestConfig_EngineConfig(t *testing.T) {
	c := parse(t, nil, "--data-dir", "/d", "--node-id", "n7", "--default-database", "app", "--id-slot", "3",
		"--id-stride", "8", "--synchronous", "full", "--busy-timeout", "1s", "--read-conns", "2",
		"--max-batch", "10", "--query-timeout", "2s", "--max-rows", "50", "--tx-idle-timeout", "3s",
		"--max-transaction-bytes", "1MiB", "--group-commit-window", "3ms")
	e := c.EngineConfig(nil)
	if e.DataDir != "/d" || e.NodeID != "n7" || e.DefaultDatabase != "app" || e.Slot != 3 || e.Stride != 8 ||
		e.Synchronous != "full" || e.BusyTimeout != time.Second || e.ReadConns != 2 ||
		e.MaxBatch != 10 || e.QueryTimeout != 2*time.Second || e.MaxRows != 50 ||
		e.TxIdleTimeout != 3*time.Second || e.MaxChangeSetBytes != 1<<20 || e.GroupCommitWindow != 3*time.Millisecond {
		t.Errorf("EngineConfig() = %+v: does not carry the settings", e)
	}
}

func TestParseFlags_UnknownEnvWarns(t *testing.T) {
	m := NewMain()
	m.Env = []string{"WARREN_HTTP_ADR=:9000", "WARREN_REGION=eu", "OTHER=1"}
	if err := m.ParseFlags(nil); err != nil {
		t.Fatal(err)
	}
	if len(m.warnings) != 1 || !strings.Contains(m.warnings[0], "WARREN_HTTP_ADR") {
		t.Errorf("warnings = %q, want one about WARREN_HTTP_ADR", m.warnings)
	}
}
