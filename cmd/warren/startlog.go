package main

import (
	"log/slog"
	"net/url"
	"strings"

	"github.com/warren-db/warren/cmd/internal/timerslack"
)

// logStart logs the start of the node, the settings (at debug level, without
// secrets) and the warnings ParseFlags found.
func (m *Main) logStart() {
	c := m.Config
	m.Logger.Info("starting warren", "version", version, "data_dir", c.DataDir,
		"region", c.Region, "config_file", m.ConfigPath, "timer_slack", timerslack.Current())
	m.Logger.Debug("configuration", "config", c)
	for _, w := range m.warnings {
		m.Logger.Warn(w)
	}
	for _, t := range c.Tokens {
		if len(t.Token) < 16 {
			m.Logger.Warn("API token is short: use at least 16 random characters", "token", t.Name)
		}
	}
	m.logUnavailableDoors()
}

// logUnavailableDoors notes, at debug level only, the configured doors this
// build does not serve yet.
func (m *Main) logUnavailableDoors() {
	c := m.Config
	if !c.clustered() {
		m.Logger.Info("cluster off: no cluster_secret; this node runs alone", "gossip_addr", c.GossipAddr, "quic_addr", c.QUICAddr)
	}
}

// logListening reports where the node serves and whether the API is open.
func (m *Main) logListening() {
	m.Logger.Info("http api listening", "addr", m.HTTPAddr(), "node_id", m.engine.NodeID())
	if len(m.Config.Tokens) == 0 {
		m.Logger.Warn("HTTP API is open: no tokens configured",
			"hint", "add [[tokens]] to the config file to require bearer tokens")
	}
}

// LogValue renders every setting for the log: secrets as [REDACTED], URLs
// without passwords, tokens by name only.
func (c Config) LogValue() slog.Value {
	var attrs []slog.Attr
	for _, s := range settings() {
		v := s.bind(&c).String()
		if s.key == "cdc_nats_url" {
			v = redactURLs(v)
		}
		attrs = append(attrs, slog.String(s.key, v))
	}
	names := make([]string, 0, len(c.Tokens))
	for _, t := range c.Tokens {
		names = append(names, t.Name)
	}
	users := make([]string, 0, len(c.MySQLUsers))
	for _, u := range c.MySQLUsers {
		users = append(users, u.Name)
	}
	return slog.GroupValue(append(attrs, slog.Any("tokens", names), slog.Any("mysql_users", users))...)
}

// redactURLs hides the passwords of a comma-separated list of URLs.
func redactURLs(list string) string {
	parts := strings.Split(list, ",")
	for i, p := range parts {
		if u, err := url.Parse(strings.TrimSpace(p)); err == nil && u.User != nil {
			parts[i] = u.Redacted()
		}
	}
	return strings.Join(parts, ",")
}

// urlPasswords returns the passwords in a comma-separated list of URLs.
func urlPasswords(list string) []string {
	var out []string
	for _, p := range strings.Split(list, ",") {
		if u, err := url.Parse(strings.TrimSpace(p)); err == nil && u.User != nil {
			if pw, ok := u.User.Password(); ok && pw != "" {
				out = append(out, pw)
			}
		}
	}
	return out
}
