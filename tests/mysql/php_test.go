package mysql

import (
	"encoding/json"
	"os/exec"
	"reflect"
	"strings"
	"testing"
)

func TestPHPClients(t *testing.T) {
	php := need(t, "php", "php-cli php-mysql")
	n := startNode(t)
	_, errOut, ok := n.mysqlCLI(t, adminUser, adminPass, "", `
CREATE DATABASE phpdb;
CREATE USER 'shauser'@'%' IDENTIFIED WITH caching_sha2_password BY 'sha-pass';
GRANT SELECT ON phpdb.* TO 'shauser'@'%';
`)
	if !ok {
		t.Fatal(errOut)
	}
	cmd := exec.Command(php, "-d", "display_errors=stderr", "testdata/clients.php", n.host, n.port, adminUser, adminPass, "phpdb", "shauser", "sha-pass")
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("php: %v\nstdout: %s\nstderr: %s", err, out, stderr)
	}
	t.Logf("php: %s", out)
	var got map[string]any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("php output %q: %v", out, err)
	}
	want := map[string]any{
		"insert_ids_increase": true,
		"insert_id_matches":   true,
		"get_result": []any{
			map[string]any{"name": "bob", "age": 42.0, "score": 2.25, "born": "1982-03-04"},
			map[string]any{"name": "cy", "age": nil, "score": 3.0, "born": nil},
		},
		"bind_result":        []any{"ann", 31.0},
		"duplicate":          []any{1062.0, "23000"},
		"after_rollback":     42.0,
		"multi_query":        []any{"1", "two"},
		"change_user":        true,
		"after_change_user":  []any{"phpdb", "1"},
		"pdo_row":            map[string]any{"has_id": 1.0, "name": "bob", "age": 42.0, "score": 2.25},
		"pdo_last_insert_id": true,
		"pdo_duplicate":      []any{"23000", 1062.0},
		"pdo_count":          5.0,
		"sha2_login_1":       5.0,
		"sha2_login_2":       5.0,
	}
	if !strings.HasPrefix(got["server_info"].(string), "8.0.") {
		t.Errorf("server_info = %v", got["server_info"])
	}
	for k, w := range want {
		if !reflect.DeepEqual(got[k], w) {
			t.Errorf("%s = %#v, want %#v", k, got[k], w)
		}
	}
}
