package main

import (
	"errors"
	"fmt"
	"strings"
)

// natsSettings are the settings of NATS JetStream publication and the
// publication filters, in group g.
func natsSettings(g string) []setting {
	return []setting{
		{key: "cdc_nats_user", arg: "USER", group: g,
			help: "User name for NATS (with cdc_nats_password).",
			bind: str(func(c *Config) *string { return &c.CDCNATSUser })},
		{key: "cdc_nats_password", arg: "PASSWORD", group: g,
			help: "Password of cdc_nats_user. Never logged.",
			bind: secret(func(c *Config) *Secret { return &c.CDCNATSPassword })},
		{key: "cdc_nats_token", arg: "TOKEN", group: g,
			help: "Authentication token for NATS. Never logged.",
			bind: secret(func(c *Config) *Secret { return &c.CDCNATSToken })},
		{key: "cdc_nats_creds", arg: "FILE", group: g,
			help: "NATS credentials file (.creds: user JWT and NKey seed).",
			bind: str(func(c *Config) *string { return &c.CDCNATSCreds })},
		{key: "cdc_nats_tls_ca", arg: "FILE", group: g,
			help: "PEM CA that signs the NATS servers' certificates (default: the system's).",
			bind: str(func(c *Config) *string { return &c.CDCNATSTLSCA })},
		{key: "cdc_nats_tls_cert", arg: "FILE", group: g,
			help:  "PEM client certificate for NATS (mutual TLS), with cdc_nats_tls_key.",
			bind:  str(func(c *Config) *string { return &c.CDCNATSTLSCert }),
			check: checkNATSTLS},
		{key: "cdc_nats_tls_key", arg: "FILE", group: g,
			help: "PEM private key of cdc_nats_tls_cert.",
			bind: str(func(c *Config) *string { return &c.CDCNATSTLSKey })},
		{key: "cdc_nats_stream", arg: "NAME", group: g,
			help:  "JetStream stream that stores the change subjects; it must exist unless cdc_nats_create_stream.",
			bind:  str(func(c *Config) *string { return &c.CDCNATSStream }),
			check: checkNATSStream},
		{key: "cdc_nats_create_stream", group: g,
			help: "Create the stream if missing (file storage, subjects PREFIX.>, 2-minute duplicate window) or add PREFIX.> to it; off: a missing stream is logged as an error and publishing waits for it.",
			bind: boolean(func(c *Config) *bool { return &c.CDCNATSCreateStream })},
		{key: "cdc_nats_from_beginning", group: g,
			help: "At the first start (no cursor yet), publish the changes the log still holds instead of starting at its head.",
			bind: boolean(func(c *Config) *bool { return &c.CDCNATSFromBeginning })},
		{key: "cdc_databases", arg: "DB[,DB...]", group: g,
			help: "Databases whose changes are published; empty: all, including those created later.",
			bind: list(func(c *Config) *[]string { return &c.CDCDatabases })},
		{key: "cdc_tables", arg: "TABLE[,TABLE...]", group: g,
			help:  "Tables whose changes are published: T (in any database) or DB.T; empty: all.",
			bind:  list(func(c *Config) *[]string { return &c.CDCTables }),
			check: checkCDCTables},
		{key: "cdc_publish_all_nodes", group: g,
			help: "Every node publishes every change (the stream drops the copies by Nats-Msg-Id); off: each node publishes the changes it made, so each change is published once per cluster.",
			bind: boolean(func(c *Config) *bool { return &c.CDCPublishAllNodes })},
	}
}

// checkNATSTLS needs the client certificate and its key together.
func checkNATSTLS(c *Config) error {
	if (c.CDCNATSTLSCert == "") != (c.CDCNATSTLSKey == "") {
		return errors.New("cdc_nats_tls_cert and cdc_nats_tls_key go together: set both or neither")
	}
	return nil
}

// checkNATSStream checks a JetStream stream name.
func checkNATSStream(c *Config) error {
	if c.CDCNATSStream == "" || strings.ContainsAny(c.CDCNATSStream, ".*>/\\ \t\r\n") {
		return fmt.Errorf("cdc_nats_stream %q is not a stream name: use letters, digits, '-' and '_'", c.CDCNATSStream)
	}
	return nil
}

// checkCDCTables checks the table filter: T or DB.T, nothing empty.
func checkCDCTables(c *Config) error {
	for _, t := range c.CDCTables {
		db, table, qualified := strings.Cut(t, ".")
		if t == "" || qualified && (db == "" || table == "") {
			return fmt.Errorf("cdc_tables entry %q: use TABLE or DB.TABLE", t)
		}
	}
	return nil
}
