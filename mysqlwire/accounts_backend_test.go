package mysqlwire

import (
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// memBackend is an AccountBackend in memory; change plays another node.
type memBackend struct {
	mu       sync.Mutex
	accounts map[string][]byte
	watchers []func()
}

func (b *memBackend) Load() (map[string][]byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return maps.Clone(b.accounts), nil
}

func (b *memBackend) Save(name string, data []byte) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.accounts[name] = data
	return nil
}

func (b *memBackend) Delete(name string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.accounts, name)
	return nil
}

func (b *memBackend) Watch(fn func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.watchers = append(b.watchers, fn)
}

// change applies fn to the accounts as another node would, then tells the watchers.
func (b *memBackend) change(fn func(map[string][]byte)) {
	b.mu.Lock()
	fn(b.accounts)
	watchers := b.watchers
	b.mu.Unlock()
	for _, w := range watchers {
		w()
	}
}

func TestServer_AccountBackend(t *testing.T) {
	dir := t.TempDir()
	legacy := `{"version":1,"users":[{"name":"old","host":"%","plugin":"mysql_native_password",` +
		`"native_hash":"` + hashPassword("old-pass").Native + `"}]}`
	if err := os.WriteFile(filepath.Join(dir, UsersFile), []byte(legacy), 0o600); err != nil {
		t.Fatal(err)
	}
	b := &memBackend{accounts: map[string][]byte{}}
	ts := startServerIn(t, dir, func(c *Config) { c.Accounts = b })

	t.Run("the users file is moved into the backend", func(t *testing.T) {
		if err := ts.open("old", "old-pass", "", "").Ping(); err != nil {
			t.Fatal(err)
		}
		if stored, _ := b.Load(); stored["old"] == nil {
			t.Fatalf("backend holds %d accounts, not old", len(stored))
		}
		if _, err := os.Stat(filepath.Join(dir, UsersFile)); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("users file still there: %v", err)
		}
	})
	t.Run("SQL-made accounts go to the backend, hashed", func(t *testing.T) {
		mustExec(t, ts.admin(""), "CREATE USER 'app'@'%' IDENTIFIED BY 'app-pass'", "GRANT ALL ON main.* TO 'app'@'%'")
		stored, _ := b.Load()
		data := string(stored["app"])
		if data == "" || strings.Contains(data, "app-pass") {
			t.Fatalf("backend value %q: missing or clear-text", data)
		}
		mustExec(t, ts.open("app", "app-pass", "main", ""), "CREATE TABLE t (id INT PRIMARY KEY)")
	})
	t.Run("accounts changed elsewhere apply here", func(t *testing.T) {
		fa := fileAccount{Name: "remote", Host: "%", Plugin: PluginNative, passwordHashes: hashPassword("r-pass"),
			Grants: map[string][]string{"main": {"SELECT"}}}
		value, err := json.Marshal(fa)
		if err != nil {
			t.Fatal(err)
		}
		b.change(func(m map[string][]byte) { m["remote"] = value; delete(m, "app") })
		if got := queryStrings(t, ts.open("remote", "r-pass", "main", ""), "SELECT COUNT(*) FROM t"); len(got) != 1 {
			t.Fatalf("rows = %v", got)
		}
		wantErr(t, ts.open("app", "app-pass", "main", "").Ping(), 1045, "28000")
	})
	t.Run("a stored account cannot take a configured name", func(t *testing.T) {
		value, err := json.Marshal(fileAccount{Name: adminUser, Host: "%", Plugin: PluginNative})
		if err != nil {
			t.Fatal(err)
		}
		b.change(func(m map[string][]byte) { m[adminUser] = value })
		if err := ts.admin("").Ping(); err != nil {
			t.Fatalf("configured administrator lost: %v", err)
		}
	})
}
