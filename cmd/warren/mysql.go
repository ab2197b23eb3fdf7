package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"

	"github.com/warren-db/warren/mysqlwire"
)

// startMySQL serves the MySQL protocol on mysql_addr over the same engine.
func (m *Main) startMySQL() error {
	c := m.Config
	mc := mysqlwire.DefaultConfig()
	mc.AdminUser, mc.AdminPassword = c.MySQLUser, c.MySQLPassword.Reveal()
	mc.Users = mysqlUsers(c.MySQLUsers)
	mc.DataDir, mc.DefaultDatabase = c.DataDir, c.DefaultDatabase
	mc.Accounts = registryAccounts{eng: m.engine}
	mc.DefaultConsistency = consistencyOf(c.DefaultConsistency)
	mc.RequireTLS, mc.MaxConnections = c.MySQLRequireTLS, c.MySQLMaxConnections
	mc.Logger = m.component("mysql")
	tlsConfig, err := mysqlTLS(c)
	if err != nil {
		return err
	}
	mc.TLS = tlsConfig
	srv, err := mysqlwire.New(m.engine, mc)
	if err != nil {
		return fmt.Errorf("create mysql server: %w", err)
	}
	ln, err := net.Listen("tcp", c.MySQLAddr)
	if err != nil {
		srv.Close()
		return fmt.Errorf("listen mysql: %w", err)
	}
	m.mysql = srv
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, mysqlwire.ErrServerClosed) {
			m.failed <- fmt.Errorf("mysql server: %w", err)
		}
	}()
	return nil
}

// mysqlTLS loads mysql_tls_cert and mysql_tls_key; nil when neither is set.
func mysqlTLS(c Config) (*tls.Config, error) {
	if c.MySQLTLSCert == "" && c.MySQLTLSKey == "" {
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(c.MySQLTLSCert, c.MySQLTLSKey)
	if err != nil {
		return nil, fmt.Errorf("load mysql tls certificate: %w", err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

// checkMySQLTLS checks that mysql_tls_cert and mysql_tls_key come together,
// load as a key pair, and are there when mysql_require_tls asks for TLS.
func checkMySQLTLS(c *Config) error {
	switch {
	case c.MySQLTLSCert == "" && c.MySQLTLSKey == "":
		if c.MySQLRequireTLS {
			return errors.New("mysql_require_tls is on but mysql_tls_cert and mysql_tls_key are not set: set both, or turn mysql_require_tls off")
		}
		return nil
	case c.MySQLTLSCert == "":
		return errors.New("mysql_tls_key is set but mysql_tls_cert is not: set both or neither")
	case c.MySQLTLSKey == "":
		return errors.New("mysql_tls_cert is set but mysql_tls_key is not: set both or neither")
	}
	if _, err := mysqlTLS(*c); err != nil {
		return fmt.Errorf("mysql_tls_cert %q and mysql_tls_key %q: %v: give a PEM certificate and its PEM private key",
			c.MySQLTLSCert, c.MySQLTLSKey, errors.Unwrap(err))
	}
	return nil
}
