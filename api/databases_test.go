package api

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/warren-db/warren/engine"
)

func TestDatabases_CreateListDrop(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	body := f.do("POST", "/v1/databases", obj{"name": "shop"}).expect(t, http.StatusCreated)
	assertJSON(t, body, `{"name":"shop"}`)
	f.do("POST", "/v1/databases", obj{"name": "shop"}).expectError(t, http.StatusConflict, engine.CodeExists)
	f.do("POST", "/v1/databases", obj{"name": "../etc"}).expectError(t, http.StatusBadRequest, engine.CodeInvalid, "name")

	list := f.do("GET", "/v1/databases", nil).expect(t, http.StatusOK)["databases"].([]any)
	var names []string
	for _, d := range list {
		names = append(names, d.(obj)["name"].(string))
		if _, ok := d.(obj)["size_bytes"]; !ok {
			t.Errorf("no size_bytes in %v", d)
		}
	}
	if strings.Join(names, ",") != "main,shop" {
		t.Fatalf("databases %v, want main,shop", names)
	}
	f.exec("shop", "CREATE TABLE t (x)")

	f.do("DELETE", "/v1/databases/shop", nil).expect(t, http.StatusNoContent)
	f.do("DELETE", "/v1/databases/shop", nil).expectError(t, http.StatusNotFound, engine.CodeNotFound)
	f.do("POST", "/v1/db/shop/query", obj{"sql": "SELECT 1"}).expectError(t, http.StatusNotFound, engine.CodeNotFound)
}

func TestDatabases_DropEndsTransactions(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	f.do("POST", "/v1/databases", obj{"name": "tmp"}).expect(t, http.StatusCreated)
	f.exec("tmp", "CREATE TABLE t (x)")
	tx := "/v1/db/tmp/tx/" + f.begin("tmp", obj{"read_only": true})
	f.do("DELETE", "/v1/databases/tmp", nil).expect(t, http.StatusNoContent)
	f.do("POST", tx+"/query", obj{"sql": "SELECT 1"}).expectError(t, http.StatusNotFound, engine.CodeTxNotFound)
}

func TestBackup(t *testing.T) {
	f := newFixture(t, Config{}, nil)
	f.exec("main", "CREATE TABLE t (x)", "INSERT INTO t VALUES ('kept')")
	res := f.do("GET", "/v1/db/main/backup", nil)
	res.expect(t, http.StatusOK)
	if !bytes.HasPrefix(res.Body, []byte("SQLite format 3\x00")) {
		t.Fatalf("backup starts with %q", res.Body[:min(16, len(res.Body))])
	}
	if !bytes.Contains(res.Body, []byte("kept")) {
		t.Error("the backup lacks the committed row")
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/vnd.sqlite3" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment; filename=main-") || !strings.HasSuffix(cd, ".db") {
		t.Errorf("Content-Disposition %q", cd)
	}
	f.do("GET", "/v1/db/nope/backup", nil).expectError(t, http.StatusNotFound, engine.CodeNotFound)
}
