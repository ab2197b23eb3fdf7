package main

import (
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
	mc.DataDir, mc.DefaultDatabase = c.DataDir, c.DefaultDatabase
	mc.DefaultConsistency = consistencyOf(c.DefaultConsistency)
	mc.Logger = m.component("mysql")
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
