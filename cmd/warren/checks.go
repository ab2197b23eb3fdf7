package main

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/warren-db/warren/engine"
)

// maxStride bounds id_stride, as the engine does.
const maxStride = 1 << 16

var (
	nameRE     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$`)
	hostnameRE = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$`)
)

func notEmpty(key, v string) error {
	if strings.TrimSpace(v) == "" {
		return fmt.Errorf("%s is empty: set it (see warren --help)", key)
	}
	return nil
}

func between(key string, v, lo, hi int) error {
	if v < lo || v > hi {
		return fmt.Errorf("%s %d is out of range: use %d..%d", key, v, lo, hi)
	}
	return nil
}

func positive(key string, d time.Duration) error {
	if d <= 0 {
		return fmt.Errorf("%s %s is not positive: use a duration like 30s", key, d)
	}
	return nil
}

func notNegative(key string, d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("%s %s is negative: use 0s or more", key, d)
	}
	return nil
}

func name(key, v string) error {
	if !nameRE.MatchString(v) {
		return fmt.Errorf("%s %q is not a valid name: use 1..63 letters, digits, '.', '_' or '-'", key, v)
	}
	return nil
}

func optionalName(key, v string) error {
	if v == "" {
		return nil
	}
	return name(key, v)
}

// databaseName applies the engine's rule for database names.
func databaseName(key, v string) error {
	if engine.ValidName(v) != nil {
		return fmt.Errorf("%s %q is not a valid database name: use 1..64 letters, digits, '_' or '-', starting with a letter or digit", key, v)
	}
	return nil
}

// listenAddr checks a host:port listen address; the port may be 0.
func listenAddr(key, addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%s %q is not host:port: use a form like \":8080\" or \"127.0.0.1:8080\"", key, addr)
	}
	if err := checkPort(port); err != nil {
		return fmt.Errorf("%s %q: %w", key, addr, err)
	}
	return nil
}

func checkPort(port string) error {
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("port %q is not a number in 0..65535", port)
	}
	return nil
}

func checkIDSlot(c *Config) error {
	if c.IDSlot < 0 || c.IDSlot > c.IDStride {
		return fmt.Errorf("id_slot %d is out of range: use 1..%d (id_stride), or 0 to let the cluster assign one", c.IDSlot, c.IDStride)
	}
	return nil
}

func checkMaxBody(c *Config) error {
	if c.MaxBodyBytes < KiB {
		return fmt.Errorf("max_body_bytes %s is too small: use at least 1KiB", c.MaxBodyBytes)
	}
	return nil
}

// checkMaxTxBytes keeps a transaction's change set, encoded, under the
// replication transport's largest message (64 MiB).
func checkMaxTxBytes(c *Config) error {
	if c.MaxTxBytes < 64*KiB || c.MaxTxBytes > 48*MiB {
		return fmt.Errorf("max_transaction_bytes %s is out of range: use 64KiB..48MiB (peers receive a transaction's changes in one message of at most 64MiB)", c.MaxTxBytes)
	}
	return nil
}

// checkJoin checks the seeds: host:port or a DNS name, and that a node that
// joins has the cluster secret.
func checkJoin(c *Config) error {
	var errs []error
	for _, seed := range c.Join {
		if err := checkSeed(seed); err != nil {
			errs = append(errs, err)
		}
	}
	if len(c.Join) > 0 && c.ClusterSecret == "" {
		errs = append(errs, errors.New("join is set but cluster_secret is empty: "+
			"set --cluster-secret or WARREN_CLUSTER_SECRET to the cluster's secret"))
	}
	return errors.Join(errs...)
}

func checkSeed(seed string) error {
	host := seed
	if h, port, err := net.SplitHostPort(seed); err == nil {
		if err := checkPort(port); err != nil {
			return fmt.Errorf("join entry %q: %w", seed, err)
		}
		host = h
	}
	if net.ParseIP(host) == nil && !hostnameRE.MatchString(host) {
		return fmt.Errorf("join entry %q is not host:port or a DNS name: use a form like 10.0.0.1:7946 or app.internal", seed)
	}
	return nil
}

func checkMySQLAccount(c *Config) error {
	switch {
	case c.MySQLUser != "" && c.MySQLPassword == "":
		return fmt.Errorf("mysql_user %q has no password: set --mysql-password or WARREN_MYSQL_PASSWORD", c.MySQLUser)
	case c.MySQLUser == "" && c.MySQLPassword != "":
		return errors.New("mysql_password is set but mysql_user is empty: set --mysql-user or WARREN_MYSQL_USER")
	}
	return nil
}

// checkNATSURL checks a comma-separated list of NATS URLs. Messages show
// URLs without their password.
func checkNATSURL(c *Config) error {
	if c.CDCNATSURL == "" {
		return nil
	}
	var errs []error
	for _, raw := range strings.Split(c.CDCNATSURL, ",") {
		raw = strings.TrimSpace(raw)
		if !strings.Contains(raw, "://") {
			raw = "nats://" + raw
		}
		u, err := url.Parse(raw)
		switch {
		case err != nil || u.Host == "":
			errs = append(errs, errors.New("cdc_nats_url has an entry that is not a URL: use a form like nats://127.0.0.1:4222"))
		case u.Scheme != "nats" && u.Scheme != "tls" && u.Scheme != "ws" && u.Scheme != "wss":
			errs = append(errs, fmt.Errorf("cdc_nats_url %q has scheme %s: use nats://, tls://, ws:// or wss://", u.Redacted(), u.Scheme))
		}
	}
	return errors.Join(errs...)
}

func checkSubjectPrefix(c *Config) error {
	for _, tok := range strings.Split(c.CDCSubjectPrefix, ".") {
		if tok == "" || strings.ContainsAny(tok, "*> \t\r\n") {
			return fmt.Errorf("cdc_subject_prefix %q is not a NATS subject: use dot-separated words without spaces, '*' or '>'", c.CDCSubjectPrefix)
		}
	}
	return nil
}

func checkCORSOrigins(c *Config) error {
	var errs []error
	for _, o := range c.CORSOrigins {
		if o == "*" {
			continue
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
			u.Path != "" || u.RawQuery != "" {
			errs = append(errs, fmt.Errorf("cors_origins entry %q is not an origin: use scheme://host[:port] like https://app.example.com, or *", o))
		}
	}
	return errors.Join(errs...)
}

// checkRetention enforces the GC rules: a peer must be able to catch up by
// delta for as long as the log is kept (gc_min_retention_hours*3600 >=
// delta_sync_threshold_seconds), and the maximum retention cannot be below
// the minimum.
func checkRetention(c *Config) error {
	minSeconds := c.GCMinRetentionHours * 3600
	switch {
	case c.GCMinRetentionHours <= 0:
		return fmt.Errorf("gc_min_retention_hours %g must be positive", c.GCMinRetentionHours)
	case c.DeltaSyncThresholdSeconds < 1:
		return fmt.Errorf("delta_sync_threshold_seconds %d must be at least 1", c.DeltaSyncThresholdSeconds)
	case minSeconds < float64(c.DeltaSyncThresholdSeconds):
		return fmt.Errorf("gc_min_retention_hours*3600 >= delta_sync_threshold_seconds is broken: %g*3600 = %g < %d; "+
			"raise gc_min_retention_hours to %g or lower delta_sync_threshold_seconds to %d",
			c.GCMinRetentionHours, minSeconds, c.DeltaSyncThresholdSeconds,
			float64(c.DeltaSyncThresholdSeconds)/3600, int(minSeconds))
	case c.GCMaxRetentionHours < c.GCMinRetentionHours:
		return fmt.Errorf("gc_max_retention_hours %g is below gc_min_retention_hours %g: use at least %g",
			c.GCMaxRetentionHours, c.GCMinRetentionHours, c.GCMinRetentionHours)
	}
	return nil
}

// consistencyOf maps a validated consistency name to the engine's level.
func consistencyOf(name string) engine.Consistency {
	switch name {
	case "one":
		return engine.ConsistencyOne
	case "all":
		return engine.ConsistencyAll
	}
	return engine.ConsistencyQuorum
}

// maxGroupCommitWindow bounds group_commit_window: a longer hold only adds
// latency, since a batch stops growing once every writing client is in it.
const maxGroupCommitWindow = 100 * time.Millisecond

func checkGroupCommitWindow(c *Config) error {
	if w := c.GroupCommitWindow; w < 0 || w > maxGroupCommitWindow {
		return fmt.Errorf("group_commit_window %s is out of range: use 0..%s", w, maxGroupCommitWindow)
	}
	return nil
}
