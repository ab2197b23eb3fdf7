package wordpress

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// wordpressDir is where Debian's wordpress package installs WordPress.
const wordpressDir = "/usr/share/wordpress"

// phpTimeout bounds one PHP CLI script.
const phpTimeout = 30 * time.Second

// site is a WordPress directory of the test's own: copies of the top-level
// PHP files of /usr/share/wordpress (so that ABSPATH is this directory and
// the test's wp-config.php is the one loaded), symlinks to wp-admin,
// wp-includes and wp-content, and the test's must-use plugin.
type site struct {
	dir  string
	log  string // WP_DEBUG_LOG: PHP notices and wpdb errors
	home string // WP_HOME, the address php -S serves
	db   string
}

// needPHP returns the php binary and fails, naming the packages to install,
// when PHP or WordPress is missing.
func needPHP(t *testing.T) string {
	t.Helper()
	const install = "apt-get install -y wordpress php-cli php-mysql"
	php, err := exec.LookPath("php")
	if err != nil {
		t.Fatalf("php is not installed: %s", install)
	}
	if _, err := os.Stat(filepath.Join(wordpressDir, "wp-settings.php")); err != nil {
		t.Fatalf("WordPress is not in %s: %s", wordpressDir, install)
	}
	out, err := exec.Command(php, "-r", "echo extension_loaded('mysqli') ? 'yes' : 'no';").Output()
	if err != nil || string(out) != "yes" {
		t.Fatalf("php has no mysqli extension (%s, %v): %s", out, err, install)
	}
	return php
}

// newSite builds the site directory for database db served at home.
func newSite(t *testing.T, db, home string) *site {
	t.Helper()
	s := &site{dir: filepath.Join(t.TempDir(), "wordpress"), home: home, db: db}
	s.log = filepath.Join(filepath.Dir(s.dir), "debug.log")
	if err := os.MkdirAll(filepath.Join(s.dir, "mu-plugins"), 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(wordpressDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		switch {
		case e.IsDir():
			err = os.Symlink(filepath.Join(wordpressDir, name), filepath.Join(s.dir, name))
		case strings.HasSuffix(name, ".php") && name != "wp-config.php":
			err = copyFile(filepath.Join(wordpressDir, name), filepath.Join(s.dir, name))
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	for src, dst := range map[string]string{"wp-config.php": "wp-config.php", "loopback-only.php": "mu-plugins/loopback-only.php"} {
		if err := copyFile(filepath.Join("testdata", src), filepath.Join(s.dir, dst)); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// copyFile copies src to dst.
func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return fmt.Errorf("read file: %w", err)
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		return fmt.Errorf("write file: %w", err)
	}
	return nil
}

// env is the environment of a PHP process that talks to n.
func (s *site) env(n *node) []string {
	return append(os.Environ(),
		"WARREN_WP_DB_NAME="+s.db,
		"WARREN_WP_DB_USER="+adminUser,
		"WARREN_WP_DB_PASSWORD="+adminPass,
		fmt.Sprintf("WARREN_WP_DB_HOST=127.0.0.1:%d", n.mysqlPort),
		"WARREN_WP_HOME="+s.home,
		"WARREN_WP_LOG="+s.log)
}

// script runs testdata/<name> with the site directory and args against n and
// decodes the JSON line it prints last into out.
func (s *site) script(t *testing.T, php string, n *node, name string, out any, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), phpTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, php, append([]string{filepath.Join("testdata", name), s.dir}, args...)...)
	cmd.Env = s.env(n)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	t.Logf("%s on %s: %s", name, n.name, strings.TrimSpace(stdout.String()))
	if err != nil {
		t.Fatalf("php %s on %s: %v\nstdout: %s\nstderr: %s\n%s", name, n.name, err, stdout.String(), stderr.String(), s.problems())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), out); err != nil {
		t.Fatalf("php %s on %s printed %q: %v\nstderr: %s\n%s", name, n.name, stdout.String(), err, stderr.String(), s.problems())
	}
}

// serve starts `php -S` on port for the site against n, stopped when the
// test ends, and waits until it accepts connections.
func (s *site) serve(t *testing.T, php string, n *node, port int) {
	t.Helper()
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	cmd := exec.Command(php, "-S", addr, "-t", s.dir)
	cmd.Env = s.env(n)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	log := &logBuffer{}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatalf("start php -S: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("php -S log:\n%s", tail(log.String(), 40))
		}
	})
	eventually(t, 10*time.Second, "php -S listening", func() error {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return err
		}
		return c.Close()
	})
}

// get fetches path from the site over HTTP, following redirects only
// within loopback, and fails unless the answer is 200.
func (s *site) get(t *testing.T, path string) string {
	t.Helper()
	client := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(req *http.Request, _ []*http.Request) error {
		if host := req.URL.Hostname(); host != "127.0.0.1" && host != "localhost" {
			return fmt.Errorf("redirect outside loopback to %s", req.URL)
		}
		return nil
	}}
	resp, err := client.Get(s.home + path)
	if err != nil {
		t.Fatalf("GET %s: %v\n%s", path, err, s.problems())
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read GET %s: %v", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d\n%s\n%s", path, resp.StatusCode, tail(string(body), 30), s.problems())
	}
	return string(body)
}

// debugLog returns WordPress's debug log so far.
func (s *site) debugLog() string {
	data, _ := os.ReadFile(s.log)
	return string(data)
}

// problems returns the lines of the debug log that fail the test: database
// errors, anything about wpdb or mysqli, and HTTP outside loopback.
func (s *site) problems() string {
	var bad []string
	for _, line := range strings.Split(s.debugLog(), "\n") {
		low := strings.ToLower(line)
		for _, sign := range []string{"database error", "wpdb", "mysqli", "external http", "fatal error"} {
			if strings.Contains(low, sign) {
				bad = append(bad, line)
				break
			}
		}
	}
	return strings.Join(bad, "\n")
}
