package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// startNATS starts an embedded JetStream server on loopback that wants
// user and password.
func startNATS(t *testing.T, user, password string) string {
	t.Helper()
	srv, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true,
		StoreDir: t.TempDir(), NoLog: true, NoSigs: true, Username: user, Password: password})
	if err != nil {
		t.Fatal(err)
	}
	srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server did not start")
	}
	t.Cleanup(srv.Shutdown)
	return "nats://127.0.0.1:" + strconv.Itoa(srv.Addr().(*net.TCPAddr).Port)
}

func TestMain_PublishesToNATS(t *testing.T) {
	const password = "nats-SECRET-77aa"
	url := startNATS(t, "warren", password)
	m, logs := runPublishingNode(t, "--cdc-nats-url", url, "--cdc-nats-user", "warren", "--cdc-nats-password", password,
		"--cdc-nats-create-stream", "--cdc-tables", "t")
	defer m.Close()
	nc, err := nats.Connect(url, nats.UserInfo("warren", password))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	var msgs uint64
	waitUntil(t, "the two inserts in the stream", func() bool {
		st, err := js.Stream(context.Background(), "WARREN")
		if err != nil {
			return false
		}
		info, err := st.Info(context.Background())
		msgs = info.State.Msgs
		return err == nil && msgs >= 2
	})
	var metrics string
	waitUntil(t, "metrics with no lag", func() bool {
		metrics = getText(t, "http://"+m.HTTPAddr()+"/metrics")
		return strings.Contains(metrics, `warren_cdc_nats_lag_events{db="main"} 0`)
	})
	for _, want := range []string{`warren_cdc_nats_published_total{db="main"} 2`, "warren_cdc_nats_connected 1",
		`warren_log_head_position{db="main"} 4`, "# TYPE warren_cdc_nats_published_total counter"} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %q:\n%s", want, metrics)
		}
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if msgs != 2 {
		t.Errorf("stream holds %d messages, want the 2 inserts into t only", msgs)
	}
	cursor, err := os.ReadFile(filepath.Join(m.Config.DataDir, "cdc", "nats-cursor.json"))
	if err != nil || !strings.Contains(string(cursor), `"main": "4"`) {
		t.Errorf("cursor file %s, %v; want main at the end of change set 4", cursor, err)
	}
	if strings.Contains(logs.String(), password) {
		t.Errorf("the NATS password reached the log:\n%s", logs.String())
	}
}

func TestConfig_ValidateNATS(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--cdc-nats-stream", "a.b"}, `cdc_nats_stream "a.b" is not a stream name`},
		{[]string{"--cdc-nats-tls-cert", "c.pem"}, "cdc_nats_tls_cert and cdc_nats_tls_key go together"},
		{[]string{"--cdc-tables", "main."}, `cdc_tables entry "main."`},
	} {
		err := parseErr(t, nil, tc.args...)
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want %q", tc.args, err, tc.want)
		}
	}
	c := parse(t, nil, "--cdc-databases", "a,b", "--cdc-tables", "t,a.u", "--cdc-publish-all-nodes", "--cdc-nats-token", "tok")
	if strings.Join(c.CDCDatabases, ",") != "a,b" || strings.Join(c.CDCTables, ",") != "t,a.u" || !c.CDCPublishAllNodes ||
		c.CDCNATSToken.Reveal() != "tok" || c.CDCNATSStream != "WARREN" {
		t.Errorf("config %+v", c)
	}
	if secrets := strings.Join(c.secrets(), ","); !strings.Contains(secrets, "tok") {
		t.Errorf("the NATS token is not redacted from logs: secrets %q", secrets)
	}
}

// waitUntil polls cond for up to 10 s.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// getText GETs url and returns the body.
func getText(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// runPublishingNode runs a node with the publisher flags args (debug logs
// kept) and writes two rows to table t and one to table skipped.
func runPublishingNode(t *testing.T, args ...string) (*Main, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	m := NewMain()
	m.LogOutput = logs
	if err := m.ParseFlags(append(append(nodeArgs(t), "--log-level", "debug"), args...)); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		_ = m.Close()
		t.Fatalf("Run: %v\n%s", err, logs.String())
	}
	for _, sql := range []string{"CREATE TABLE t(id INTEGER PRIMARY KEY)", "CREATE TABLE skipped(id INTEGER PRIMARY KEY)",
		"INSERT INTO t(id) VALUES (1), (2)", "INSERT INTO skipped(id) VALUES (3)"} {
		if code, body := call(t, m, "POST", "/v1/db/main/exec", "", map[string]any{"statements": []any{map[string]any{"sql": sql}}}); code != 200 {
			_ = m.Close()
			t.Fatalf("%s: %d %v", sql, code, body)
		}
	}
	return m, logs
}
