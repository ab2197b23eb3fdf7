package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/warren-db/warren/mysqlwire"
)

func TestLoadFile_MySQLUsers(t *testing.T) {
	file := writeConfig(t, `
mysql_user = "admin"
mysql_password = "adm1n"
mysql_require_tls = false
mysql_max_connections = 20

[[mysql_users]]
name = "blog"
password = "${BLOG_PW}"
host = "127.0.0.1"
grants = { blog = "write", main = "SELECT, INSERT" }

[[mysql_users]]
name = "report"
password = "r3port"
plugin = "caching_sha2_password"
[mysql_users.grants]
"*" = "read"
`)
	c := parse(t, []string{"BLOG_PW=bl0g-pw"}, "--config", file)
	want := []MySQLUserConfig{
		{Name: "blog", Password: "bl0g-pw", Host: "127.0.0.1", Grants: map[string]string{"blog": "write", "main": "SELECT, INSERT"}},
		{Name: "report", Password: "r3port", Plugin: mysqlwire.PluginSHA2, Grants: map[string]string{"*": "read"}},
	}
	if !reflect.DeepEqual(c.MySQLUsers, want) || c.MySQLMaxConnections != 20 {
		t.Fatalf("users = %#v, max connections %d\nwant %#v", c.MySQLUsers, c.MySQLMaxConnections, want)
	}
	got := mysqlUsers(c.MySQLUsers)
	if got[0].Password != "bl0g-pw" || got[0].Host != "127.0.0.1" || got[1].Plugin != mysqlwire.PluginSHA2 || got[1].Grants["*"] != "read" {
		t.Fatalf("mysqlwire users = %+v", got)
	}
	for _, u := range got {
		if err := u.Check(); err != nil {
			t.Errorf("mysqlwire refuses %s: %v", u.Name, err)
		}
	}
	if !slices.Contains(c.secrets(), "bl0g-pw") {
		t.Errorf("secrets() = %q lacks the user's password: the log would not redact it", c.secrets())
	}
	for _, out := range []string{fmt.Sprint(c), fmt.Sprintf("%#v", c), fmt.Sprint(c.LogValue())} {
		if strings.Contains(out, "bl0g-pw") || strings.Contains(out, "r3port") {
			t.Errorf("formatting shows a password: %s", out)
		}
	}

	bad := []struct{ name, text, want string }{
		{"unknown key", "[[mysql_users]]\nname = \"a\"\npass = \"x\"", `mysql_users[0]: unknown key "pass": use name, password, host, plugin and grants`},
		{"not tables", `mysql_users = "a"`, "mysql_users: want [[mysql_users]] tables"},
		{"grants not a table", "[[mysql_users]]\nname = \"a\"\ngrants = \"all\"", "grants: want a table like"},
		{"grant not a string", "[[mysql_users]]\nname = \"a\"\ngrants = { main = 1 }", "grants.main: got int64 1"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			if msg := parseErr(t, nil, "--config", writeConfig(t, tc.text)).Error(); !strings.Contains(msg, tc.want) {
				t.Errorf("error %q does not contain %q", msg, tc.want)
			}
		})
	}
}

func TestConfig_ValidateMySQL(t *testing.T) {
	cert, key := writeCert(t)
	user := func(name string, grants map[string]string) MySQLUserConfig {
		return MySQLUserConfig{Name: name, Password: "pw", Grants: grants}
	}
	write := map[string]string{"main": "write"}
	cases := []struct {
		name   string
		mutate func(c *Config)
		want   []string // nil means valid
	}{
		{"users", func(c *Config) {
			c.MySQLUsers = []MySQLUserConfig{user("a", write), user("b", map[string]string{"*": "select, insert", "blog": "ALL"})}
		}, nil},
		{"empty name", func(c *Config) { c.MySQLUsers = []MySQLUserConfig{user("", write)} },
			[]string{`mysql_users[0] has no name: add name = "..."`}},
		{"duplicate", func(c *Config) { c.MySQLUsers = []MySQLUserConfig{user("a", write), user("a", write)} },
			[]string{`mysql_users[1]: user "a" is defined twice`}},
		{"clash with mysql_user", func(c *Config) {
			c.MySQLUser, c.MySQLPassword = "admin", "pw"
			c.MySQLUsers = []MySQLUserConfig{user("admin", write)}
		}, []string{`mysql_users[0]: user "admin" is also mysql_user, the administrator`}},
		{"unknown right", func(c *Config) { c.MySQLUsers = []MySQLUserConfig{user("a", map[string]string{"main": "select, fly"})} },
			[]string{`mysql user "a": grants on "main" are "select, fly": use read, write, all or MySQL privilege names`}},
		{"empty right", func(c *Config) { c.MySQLUsers = []MySQLUserConfig{user("a", map[string]string{"main": ""})} },
			[]string{`grants on "main" are ""`}},
		{"bad database", func(c *Config) { c.MySQLUsers = []MySQLUserConfig{user("a", map[string]string{"my db": "read"})} },
			[]string{`mysql user "a" has grants on "my db", which is not a database name`}},
		{"no grants", func(c *Config) { c.MySQLUsers = []MySQLUserConfig{user("a", nil)} },
			[]string{`mysql user "a" has no grants`}},
		{"no password", func(c *Config) { c.MySQLUsers = []MySQLUserConfig{{Name: "a", Grants: write}} },
			[]string{`mysql user "a" has no password`}},
		{"bad plugin", func(c *Config) {
			u := user("a", write)
			u.Plugin = "sha256_password"
			c.MySQLUsers = []MySQLUserConfig{u}
		}, []string{`mysql user "a": plugin "sha256_password" is not one of mysql_native_password, caching_sha2_password`}},
		{"tls", func(c *Config) { c.MySQLTLSCert, c.MySQLTLSKey, c.MySQLRequireTLS = cert, key, true }, nil},
		{"cert without key", func(c *Config) { c.MySQLTLSCert = cert },
			[]string{"mysql_tls_cert is set but mysql_tls_key is not: set both or neither"}},
		{"key without cert", func(c *Config) { c.MySQLTLSKey = key },
			[]string{"mysql_tls_key is set but mysql_tls_cert is not: set both or neither"}},
		{"require without cert", func(c *Config) { c.MySQLRequireTLS = true },
			[]string{"mysql_require_tls is on but mysql_tls_cert and mysql_tls_key are not set"}},
		{"unreadable cert", func(c *Config) { c.MySQLTLSCert, c.MySQLTLSKey = filepath.Join(t.TempDir(), "nope.pem"), key },
			[]string{"nope.pem", "give a PEM certificate and its PEM private key"}},
		{"key of the wrong cert", func(c *Config) { c.MySQLTLSCert, c.MySQLTLSKey = key, cert },
			[]string{"give a PEM certificate and its PEM private key"}},
		{"max connections", func(c *Config) { c.MySQLMaxConnections = 0 },
			[]string{"mysql_max_connections 0 is out of range: use 1..100000"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultConfig()
			tc.mutate(&c)
			err := c.Validate()
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

func TestMySQLSettings_Defaults(t *testing.T) {
	c := parse(t, []string{"WARREN_MYSQL_REQUIRE_TLS=false"})
	if c.MySQLMaxConnections != 151 || c.MySQLRequireTLS || c.MySQLTLSCert != "" {
		t.Fatalf("defaults: max %d, require %v, cert %q", c.MySQLMaxConnections, c.MySQLRequireTLS, c.MySQLTLSCert)
	}
	cert, key := writeCert(t)
	c = parse(t, []string{"WARREN_MYSQL_MAX_CONNECTIONS=7"}, "--mysql-tls-cert", cert, "--mysql-tls-key", key, "--mysql-require-tls")
	if c.MySQLMaxConnections != 7 || !c.MySQLRequireTLS || c.MySQLTLSKey != key {
		t.Fatalf("flags and env: %+v", c)
	}
	tc, err := mysqlTLS(c)
	if err != nil || tc == nil || len(tc.Certificates) != 1 {
		t.Fatalf("mysqlTLS = %v, %v", tc, err)
	}
}

// writeCert writes a self-signed certificate and its key for 127.0.0.1.
func writeCert(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "warren"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}
