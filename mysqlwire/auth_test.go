package mysqlwire

import (
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-mysql-org/go-mysql/server"
)

func TestServer_Auth(t *testing.T) {
	ts := startServer(t, func(c *Config) {
		c.Users = []UserConfig{
			{Name: "reader", Password: "r-pass", Grants: map[string]string{"main": "read"}},
			{Name: "sha", Password: "sha-pass", Plugin: PluginSHA2, Grants: map[string]string{"*": "all"}},
			{Name: "nopass", Grants: map[string]string{"main": "select"}},
			{Name: "faraway", Password: "x", Host: "10.%", Grants: map[string]string{"*": "all"}},
		}
	})
	t.Run("native password", func(t *testing.T) {
		if err := ts.admin("").Ping(); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("wrong password is 1045", func(t *testing.T) {
		wantErr(t, ts.open(adminUser, "wrong", "main", "").Ping(), 1045, "28000")
	})
	t.Run("unknown user is 1045, as a wrong password", func(t *testing.T) {
		wantErr(t, ts.open("ghost", "x", "", "").Ping(), 1045, "28000")
	})
	t.Run("host restriction", func(t *testing.T) {
		wantErr(t, ts.open("faraway", "x", "", "").Ping(), 1045, "28000")
	})
	t.Run("empty password", func(t *testing.T) {
		if err := ts.open("nopass", "", "main", "").Ping(); err != nil {
			t.Fatal(err)
		}
		wantErr(t, ts.open("nopass", "something", "main", "").Ping(), 1045, "28000")
	})
	t.Run("caching_sha2_password full then fast authentication", func(t *testing.T) {
		for i := range 2 { // the first login is a full one (RSA), the second a fast one
			db := ts.open("sha", "sha-pass", "main", "")
			if err := db.Ping(); err != nil {
				t.Fatalf("login %d: %v", i, err)
			}
		}
		wantErr(t, ts.open("sha", "nope", "main", "").Ping(), 1045, "28000")
	})
	t.Run("database in the handshake", func(t *testing.T) {
		wantErr(t, ts.open(adminUser, adminPass, "nosuchdb", "").Ping(), 1049, "42000")
		wantErr(t, ts.open("reader", "r-pass", "other", "").Ping(), 1044, "42000")
	})
}

func TestServer_LoopbackRoot(t *testing.T) {
	t.Run("without an administrator root has no password on loopback", func(t *testing.T) {
		ts := startServer(t, func(c *Config) { c.AdminUser, c.AdminPassword = "", "" })
		db := ts.open("root", "", "main", "")
		mustExec(t, db, "CREATE DATABASE made_by_root")
		a := ts.srv.accounts.get("root")
		if !hostMatches(a.Host, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}) || hostMatches(a.Host, &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1)}) {
			t.Fatalf("implicit root host %q must match loopback only", a.Host)
		}
	})
	t.Run("with an administrator there is no implicit root", func(t *testing.T) {
		ts := startServer(t)
		wantErr(t, ts.open("root", "", "main", "").Ping(), 1045, "28000")
	})
}

// TestConnSalt guards the reflection that reads go-mysql's scramble: a
// go-mysql upgrade that renames the field must fail here, not in the field.
func TestConnSalt(t *testing.T) {
	var c server.Conn
	if got := connSalt(&c); got != nil {
		t.Fatalf("zero conn salt = %v", got)
	}
	ts := startServer(t)
	if err := ts.admin("").Ping(); err != nil {
		t.Fatal("login failed: salt not readable?", err)
	}
}

func TestAccounts_ConfigErrors(t *testing.T) {
	cases := map[string]Config{
		"bad privilege": {Users: []UserConfig{{Name: "a", Grants: map[string]string{"x": "sing"}}}},
		"bad plugin":    {Users: []UserConfig{{Name: "a", Plugin: "sha256_password"}}},
		"duplicate":     {Users: []UserConfig{{Name: "a"}, {Name: "a"}}},
		"no name":       {Users: []UserConfig{{Password: "x"}}},
	}
	for name, cfg := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := newAccountStore(cfg.withDefaults()); err == nil {
				t.Fatal("accepted")
			}
		})
	}
	t.Run("corrupt users file", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, UsersFile), []byte("{"), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := newAccountStore(Config{DataDir: dir}.withDefaults()); err == nil {
			t.Fatal("accepted")
		}
	})
}
