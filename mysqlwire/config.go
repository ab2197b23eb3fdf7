package mysqlwire

import (
	"crypto/tls"
	"log/slog"
	"time"

	"github.com/warren-db/warren/engine"
)

// Authentication plugins an account may use.
const (
	PluginNative = "mysql_native_password"
	PluginSHA2   = "caching_sha2_password"
)

// Config configures a Server. Start from DefaultConfig.
type Config struct {
	// AdminUser and AdminPassword create the administrator account, which may
	// do everything, including CREATE DATABASE, CREATE USER and GRANT. With
	// no administrator, root with an empty password is accepted from
	// loopback addresses only.
	AdminUser     string
	AdminPassword string
	// Users are more accounts, from the configuration file. They cannot be
	// changed with SQL.
	Users []UserConfig
	// DataDir holds the accounts made with CREATE USER (UsersFile). Empty:
	// such accounts live in memory until the server closes.
	DataDir string
	// Accounts, when set, keeps the accounts made with SQL instead of
	// UsersFile; an existing UsersFile is moved into it at New.
	Accounts AccountBackend
	// TLS enables TLS for clients that ask for it; RequireTLS refuses the others.
	TLS        *tls.Config
	RequireTLS bool
	// MaxConnections caps open client connections (max_connections).
	MaxConnections int
	// DefaultConsistency is the write consistency of sessions that set no
	// warren_consistency; ConsistencyDefault leaves it to the engine.
	DefaultConsistency engine.Consistency
	// DefaultDatabase runs statements that touch no table while no
	// database is selected (SELECT 1, SELECT @@version). "" picks the first
	// database.
	DefaultDatabase string
	// Version is the server version clients see; keep a MySQL 8.0 prefix.
	Version string
	// AuthPlugin is the plugin of accounts made by CREATE USER without
	// IDENTIFIED WITH, and of configured users that name none.
	AuthPlugin string
	// HandshakeTimeout bounds the connection phase; IdleTimeout closes
	// connections idle between commands (wait_timeout).
	HandshakeTimeout time.Duration
	IdleTimeout      time.Duration
	// Variables override system variable defaults (port, hostname, ...).
	Variables map[string]engine.Value
	// Logger receives the server's logs; every connection line carries
	// conn_id. Default: slog.Default() with component=mysql.
	Logger *slog.Logger
}

// UserConfig is one account from the configuration file.
type UserConfig struct {
	Name     string
	Password string // plain text; hashed at New and never logged
	Host     string // "%" (any, the default), "localhost", an address or a pattern with % and _
	Plugin   string // PluginNative or PluginSHA2; "" takes Config.AuthPlugin
	// Grants maps a database name, or "*" for every database, to a
	// comma-separated privilege list: MySQL privilege names (SELECT, INSERT,
	// ..., ALL), or the shorthands read (SELECT) and write (SELECT, INSERT,
	// UPDATE, DELETE).
	Grants map[string]string
}

// UsersFile is the name, inside Config.DataDir, of the accounts made with SQL.
const UsersFile = "mysql-users.json"

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		MaxConnections:   151,
		DefaultDatabase:  "main",
		Version:          "8.0.36-warren",
		AuthPlugin:       PluginNative,
		HandshakeTimeout: 10 * time.Second,
		IdleTimeout:      8 * time.Hour,
	}
}

// withDefaults fills zero fields from DefaultConfig.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.MaxConnections <= 0 {
		c.MaxConnections = d.MaxConnections
	}
	if c.Version == "" {
		c.Version = d.Version
	}
	if c.AuthPlugin == "" {
		c.AuthPlugin = d.AuthPlugin
	}
	if c.HandshakeTimeout <= 0 {
		c.HandshakeTimeout = d.HandshakeTimeout
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = d.IdleTimeout
	}
	if c.Logger == nil {
		c.Logger = slog.Default().With("component", "mysql")
	}
	return c
}
