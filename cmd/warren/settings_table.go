package main

import "time"

func nodeSettings() []setting {
	const g = "Node"
	return []setting{
		{key: "data_dir", arg: "DIR", group: g,
			help:  "Directory holding the databases (DIR/<db>.db) and this node's identity.",
			bind:  str(func(c *Config) *string { return &c.DataDir }),
			check: func(c *Config) error { return notEmpty("data_dir", c.DataDir) }},
		{key: "http_addr", arg: "ADDR", group: g,
			help:  "Listen address of the HTTP API, dashboard, /metrics and /openapi.yaml (port 0 picks a free port).",
			bind:  str(func(c *Config) *string { return &c.HTTPAddr }),
			check: func(c *Config) error { return listenAddr("http_addr", c.HTTPAddr) }},
		{key: "node_id", arg: "ID", group: g,
			help:  "This node's name in the cluster; empty: one is created at first start and kept in the data dir.",
			bind:  str(func(c *Config) *string { return &c.NodeID }),
			check: func(c *Config) error { return optionalName("node_id", c.NodeID) }},
		{key: "region", arg: "NAME", group: g,
			help:  "Region this node runs in, told to its peers.",
			bind:  str(func(c *Config) *string { return &c.Region }),
			check: func(c *Config) error { return name("region", c.Region) }},
	}
}

func clusterSettings() []setting {
	const g = "Cluster"
	return []setting{
		{key: "gossip_addr", arg: "ADDR", group: g,
			help:  "Listen address of gossip membership (TCP and UDP).",
			bind:  str(func(c *Config) *string { return &c.GossipAddr }),
			check: func(c *Config) error { return listenAddr("gossip_addr", c.GossipAddr) }},
		{key: "quic_addr", arg: "ADDR", group: g,
			help:  "Listen address of QUIC replication (UDP).",
			bind:  str(func(c *Config) *string { return &c.QUICAddr }),
			check: func(c *Config) error { return listenAddr("quic_addr", c.QUICAddr) }},
		{key: "join", arg: "ADDR[,ADDR...]", group: g,
			help:  "Gossip addresses (host:port) or DNS names of nodes to join.",
			bind:  list(func(c *Config) *[]string { return &c.Join }),
			check: checkJoin},
		{key: "cluster_secret", arg: "SECRET", group: g,
			help: "Shared secret that encrypts gossip and authenticates peers; needed to join. Never logged.",
			bind: secret(func(c *Config) *Secret { return &c.ClusterSecret })},
		{key: "default_consistency", group: g,
			help: "Write consistency of requests that do not choose one.",
			bind: enum(func(c *Config) *string { return &c.DefaultConsistency }, "one", "quorum", "all")},
		{key: "prepare_timeout", arg: "DURATION", group: g,
			help:  "How long a QUORUM or ALL write waits for its peers' acks before it fails (and happened nowhere).",
			bind:  duration(func(c *Config) *time.Duration { return &c.PrepareTimeout }),
			check: func(c *Config) error { return positive("prepare_timeout", c.PrepareTimeout) }},
		{key: "anti_entropy_interval", arg: "DURATION", group: g,
			help:  "How often each database compares vectors with a random peer and pulls what it lacks.",
			bind:  duration(func(c *Config) *time.Duration { return &c.AntiEntropyInterval }),
			check: func(c *Config) error { return positive("anti_entropy_interval", c.AntiEntropyInterval) }},
		{key: "schema_lease", arg: "DURATION", group: g,
			help:  "Lease of the cluster-wide schema lock a node takes from a majority before it runs DDL.",
			bind:  duration(func(c *Config) *time.Duration { return &c.SchemaLease }),
			check: func(c *Config) error { return positive("schema_lease", c.SchemaLease) }},
		{key: "delta_sync_threshold_seconds", arg: "N", group: g,
			help:  "A peer missing changes older than this many seconds gets a snapshot instead of the missing change sets.",
			bind:  integer(func(c *Config) *int { return &c.DeltaSyncThresholdSeconds }),
			check: checkRetention},
		{key: "gc_min_retention_hours", arg: "HOURS", group: g,
			help: "Change sets every live member has applied are trimmed from the log after this many hours (fractions allowed).",
			bind: number(func(c *Config) *float64 { return &c.GCMinRetentionHours })},
		{key: "gc_max_retention_hours", arg: "HOURS", group: g,
			help: "Change sets older than this many hours are trimmed even if a member lacks them (it then bootstraps from a snapshot).",
			bind: number(func(c *Config) *float64 { return &c.GCMaxRetentionHours })},
		{key: "gc_interval", arg: "DURATION", group: g,
			help:  "How often the change log is garbage-collected.",
			bind:  duration(func(c *Config) *time.Duration { return &c.GCInterval }),
			check: func(c *Config) error { return positive("gc_interval", c.GCInterval) }},
		{key: "peer_ca_file", arg: "FILE", group: g,
			help: "PEM CA that signs peer certificates (mTLS); with peer_cert_file and peer_key_file it replaces the CA derived from cluster_secret.",
			bind: str(func(c *Config) *string { return &c.PeerCAFile })},
		{key: "peer_cert_file", arg: "FILE", group: g,
			help: "PEM certificate of this node for peer mTLS (names the node id).",
			bind: str(func(c *Config) *string { return &c.PeerCertFile })},
		{key: "peer_key_file", arg: "FILE", group: g,
			help: "PEM private key of peer_cert_file.",
			bind: str(func(c *Config) *string { return &c.PeerKeyFile })},
	}
}

func mysqlSettings() []setting {
	const g = "MySQL"
	return []setting{
		{key: "mysql_addr", arg: "ADDR", group: g,
			help:  "Listen address of the MySQL protocol.",
			bind:  str(func(c *Config) *string { return &c.MySQLAddr }),
			check: func(c *Config) error { return listenAddr("mysql_addr", c.MySQLAddr) }},
		{key: "mysql_user", arg: "USER", group: g,
			help:  "MySQL administrator account; without one, root with an empty password is accepted from loopback only.",
			bind:  str(func(c *Config) *string { return &c.MySQLUser }),
			check: checkMySQLAccount},
		{key: "mysql_password", arg: "PASSWORD", group: g,
			help: "Password of mysql_user. Never logged.",
			bind: secret(func(c *Config) *Secret { return &c.MySQLPassword })},
		{key: "mysql_tls_cert", arg: "FILE", group: g,
			help:  "PEM certificate (chain) of the MySQL door; with mysql_tls_key, clients may switch to TLS.",
			bind:  str(func(c *Config) *string { return &c.MySQLTLSCert }),
			check: checkMySQLTLS},
		{key: "mysql_tls_key", arg: "FILE", group: g,
			help: "PEM private key of mysql_tls_cert.",
			bind: str(func(c *Config) *string { return &c.MySQLTLSKey })},
		{key: "mysql_require_tls", group: g,
			help: "Refuse MySQL logins that do not use TLS (require_secure_transport); needs mysql_tls_cert.",
			bind: boolean(func(c *Config) *bool { return &c.MySQLRequireTLS })},
		{key: "mysql_max_connections", arg: "N", group: g,
			help:  "Most open MySQL client connections; one more is refused with error 1040.",
			bind:  integer(func(c *Config) *int { return &c.MySQLMaxConnections }),
			check: func(c *Config) error { return between("mysql_max_connections", c.MySQLMaxConnections, 1, 100000) }},
	}
}

func cdcSettings() []setting {
	const g = "Change data capture"
	return append([]setting{
		{key: "cluster_name", arg: "NAME", group: g,
			help:  "The cluster's name in change events (source.name) and their schema names.",
			bind:  str(func(c *Config) *string { return &c.ClusterName }),
			check: func(c *Config) error { return name("cluster_name", c.ClusterName) }},
		{key: "cdc_schemas", group: g,
			help: "Change events in the JSON converter's schema + payload form (Kafka Connect's schemas.enable) instead of the bare payload.",
			bind: boolean(func(c *Config) *bool { return &c.CDCSchemas })},
		{key: "cdc_transactions", group: g,
			help: "Add Debezium's transaction block (id, total_order, data_collection_order) to change events.",
			bind: boolean(func(c *Config) *bool { return &c.CDCTransactions })},
		{key: "cdc_nats_url", arg: "URL[,URL...]", group: g,
			help:  "NATS server(s); when set, every change is published to JetStream.",
			bind:  str(func(c *Config) *string { return &c.CDCNATSURL }),
			check: checkNATSURL},
		{key: "cdc_subject_prefix", arg: "PREFIX", group: g,
			help:  "Subject prefix: a change of table T in database D goes to PREFIX.D.T.",
			bind:  str(func(c *Config) *string { return &c.CDCSubjectPrefix }),
			check: checkSubjectPrefix},
	}, append(natsSettings(g), kafkaSettings(g)...)...)
}

func engineSettings() []setting {
	const g = "Engine"
	return []setting{
		{key: "default_database", arg: "NAME", group: g,
			help:  "Database created at first start.",
			bind:  str(func(c *Config) *string { return &c.DefaultDatabase }),
			check: func(c *Config) error { return databaseName("default_database", c.DefaultDatabase) }},
		{key: "id_slot", arg: "N", group: g,
			help:  "This node's id slot, unique in the cluster: integer keys minted here are ≡ N (mod id_stride). 0: the slot kept in the data dir, or one the cluster assigns when joining (1 for a first node).",
			bind:  integer(func(c *Config) *int { return &c.IDSlot }),
			check: checkIDSlot},
		{key: "id_stride", arg: "N", group: g,
			help:  "Id stride, the same on every node: the most nodes that can mint ids.",
			bind:  integer(func(c *Config) *int { return &c.IDStride }),
			check: func(c *Config) error { return between("id_stride", c.IDStride, 1, maxStride) }},
		{key: "synchronous", group: g,
			help: "SQLite durability: full syncs every commit to disk; normal survives a crash of the process, not of the machine.",
			bind: enum(func(c *Config) *string { return &c.Synchronous }, "normal", "full")},
		{key: "busy_timeout", arg: "DURATION", group: g,
			help:  "How long a connection waits for a lock held by another process.",
			bind:  duration(func(c *Config) *time.Duration { return &c.BusyTimeout }),
			check: func(c *Config) error { return notNegative("busy_timeout", c.BusyTimeout) }},
		{key: "read_conns", arg: "N", group: g,
			help:  "Read-only connections per database.",
			bind:  integer(func(c *Config) *int { return &c.ReadConns }),
			check: func(c *Config) error { return between("read_conns", c.ReadConns, 1, 256) }},
		{key: "max_batch", arg: "N", group: g,
			help:  "Most client transactions in one group commit.",
			bind:  integer(func(c *Config) *int { return &c.MaxBatch }),
			check: func(c *Config) error { return between("max_batch", c.MaxBatch, 1, 100000) }},
		{key: "wal_checkpoint_pages", arg: "N", group: g,
			help:  "WAL pages after which a commit copies the WAL back into the database file (SQLite's wal_autocheckpoint), pausing the writer meanwhile: larger means fewer but longer pauses, and a larger -wal file.",
			bind:  integer(func(c *Config) *int { return &c.WALCheckpointPages }),
			check: func(c *Config) error { return between("wal_checkpoint_pages", c.WALCheckpointPages, 100, 1000000) }},
		{key: "query_timeout", arg: "DURATION", group: g,
			help:  "Default and ceiling of a statement's run time.",
			bind:  duration(func(c *Config) *time.Duration { return &c.QueryTimeout }),
			check: func(c *Config) error { return positive("query_timeout", c.QueryTimeout) }},
		{key: "max_rows", arg: "N", group: g,
			help:  "Most rows one answer may carry.",
			bind:  integer(func(c *Config) *int { return &c.MaxRows }),
			check: func(c *Config) error { return between("max_rows", c.MaxRows, 1, 1<<31-1) }},
		{key: "tx_idle_timeout", arg: "DURATION", group: g,
			help:  "An interactive transaction idle this long rolls back.",
			bind:  duration(func(c *Config) *time.Duration { return &c.TxIdleTimeout }),
			check: func(c *Config) error { return positive("tx_idle_timeout", c.TxIdleTimeout) }},
		{key: "max_transaction_bytes", arg: "SIZE", group: g,
			help:  "In a cluster, most bytes of row images one transaction may change (peers receive them in one message); larger ones fail with too_large.",
			bind:  size(func(c *Config) *ByteSize { return &c.MaxTxBytes }),
			check: checkMaxTxBytes},
	}
}

func apiSettings() []setting {
	const g = "HTTP API"
	return []setting{
		{key: "max_body_bytes", arg: "SIZE", group: g,
			help:  "Largest request body: bytes, or with a KiB, MiB or GiB suffix.",
			bind:  size(func(c *Config) *ByteSize { return &c.MaxBodyBytes }),
			check: checkMaxBody},
		{key: "max_statements", arg: "N", group: g,
			help:  "Most statements in one request.",
			bind:  integer(func(c *Config) *int { return &c.MaxStatements }),
			check: func(c *Config) error { return between("max_statements", c.MaxStatements, 1, 1000000) }},
		{key: "cors_origins", arg: "ORIGIN[,ORIGIN...]", group: g,
			help:  "Origins browsers may call the API from (https://app.example.com, https://*.example.com, or *); empty: none.",
			bind:  list(func(c *Config) *[]string { return &c.CORSOrigins }),
			check: checkCORSOrigins},
		{key: "shutdown_timeout", arg: "DURATION", group: g,
			help:  "How long a graceful shutdown waits for open requests and streams before closing them.",
			bind:  duration(func(c *Config) *time.Duration { return &c.ShutdownTimeout }),
			check: func(c *Config) error { return positive("shutdown_timeout", c.ShutdownTimeout) }},
	}
}

func logSettings() []setting {
	const g = "Logging"
	return []setting{
		{key: "log_format", group: g,
			help: "Log line format.",
			bind: enum(func(c *Config) *string { return &c.LogFormat }, "text", "json")},
		{key: "log_level", group: g,
			help: "Least severe level logged.",
			bind: enum(func(c *Config) *string { return &c.LogLevel }, "debug", "info", "warn", "error")},
		{key: "pprof_addr", arg: "ADDR", group: g,
			help: "Listen address of Go's /debug/pprof profiler (keep it on loopback); empty: off.",
			bind: str(func(c *Config) *string { return &c.PprofAddr })},
	}
}
