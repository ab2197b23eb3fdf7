package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestNewLogger_RedactsSecrets(t *testing.T) {
	secrets := []string{"hunter2-secret", "tok-abc", "tok-abcdef"}
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			var buf syncBuffer
			log := newLogger(&buf, format, "debug", secrets)
			log.Info("joining with hunter2-secret", "dsn", "nats://u:hunter2-secret@h")
			log.Debug("auth", "err", errors.New("bad token tok-abcdef"), slog.Group("g", "v", "tok-abc"))
			log.Warn("stringer", "s", fmt.Stringer(stringer("tok-abc!")))
			out := buf.String()
			for _, s := range secrets {
				if strings.Contains(out, s) {
					t.Errorf("log shows secret %q:\n%s", s, out)
				}
			}
			if strings.Count(out, redacted) != 5 {
				t.Errorf("want 5 redactions, log:\n%s", out)
			}
		})
	}
}

type stringer string

func (s stringer) String() string { return string(s) }

func TestNewLogger_Level(t *testing.T) {
	var buf syncBuffer
	log := newLogger(&buf, "json", "warn", nil)
	log.Info("quiet")
	log.Warn("loud")
	if out := buf.String(); strings.Contains(out, "quiet") || !strings.Contains(out, `"msg":"loud"`) {
		t.Errorf("log at level warn:\n%s", out)
	}
}

func TestSecret_Rendering(t *testing.T) {
	c := DefaultConfig()
	c.ClusterSecret, c.MySQLPassword = "s3cret-a", "s3cret-b"
	c.Tokens = []TokenConfig{{Name: "ci", Token: "s3cret-c", Rights: map[string]string{"*": "read"}}}
	for _, out := range []string{fmt.Sprint(c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprint(c.Tokens)} {
		if strings.Contains(out, "s3cret") {
			t.Errorf("formatting shows a secret: %s", out)
		}
	}
	if c.ClusterSecret.Reveal() != "s3cret-a" {
		t.Errorf("Reveal() = %q", c.ClusterSecret.Reveal())
	}
}

// TestMain_SecretsNotLogged starts a node with every kind of secret and
// checks that none reaches its log, at debug level, in both formats.
func TestMain_SecretsNotLogged(t *testing.T) {
	const (
		clusterSecret = "cluster-SECRET-7c1e"
		mysqlPassword = "mysql-SECRET-93ab"
		token         = "token-SECRET-51d0a8"
		natsPassword  = "nats-SECRET-e4f2"
	)
	file := writeConfig(t, `
[[tokens]]
name = "ci"
token = "${CI_TOKEN}"
[tokens.rights]
"*" = "write"
`)
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			var logs syncBuffer
			m := NewMain()
			m.LogOutput = &logs
			m.Env = []string{"WARREN_CLUSTER_SECRET=" + clusterSecret, "CI_TOKEN=" + token}
			err := m.ParseFlags(append(nodeArgs(t), "--config", file,
				"--log-level", "debug", "--log-format", format,
				"--mysql-user", "admin", "--mysql-password", mysqlPassword,
				"--cdc-nats-url", "nats://warren:"+natsPassword+"@127.0.0.1:4222"))
			if err != nil {
				t.Fatal(err)
			}
			if err := m.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			m.Logger.Debug("a careless line", "secret", clusterSecret, "err", errors.New(token))
			if err := m.Close(); err != nil {
				t.Fatal(err)
			}
			out := logs.String()
			for _, want := range []string{"http api listening", "cluster_secret", "mysql_password", "ci"} {
				if !strings.Contains(out, want) {
					t.Errorf("log lacks %q; it is:\n%s", want, out)
				}
			}
			for _, secret := range []string{clusterSecret, mysqlPassword, token, natsPassword} {
				if strings.Contains(out, secret) {
					t.Errorf("log shows secret %q:\n%s", secret, out)
				}
			}
		})
	}
}
