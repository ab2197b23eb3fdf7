package main

import (
	"log/slog"
	"time"

	"github.com/warren-db/warren/api"
	"github.com/warren-db/warren/engine"
)

// Config holds every setting of a node. DefaultConfig gives the defaults;
// loadFile, applyEnv and the flags override them; Validate checks the result.
type Config struct {
	// Node.
	DataDir  string
	HTTPAddr string
	NodeID   string
	Region   string

	// Cluster.
	GossipAddr                            string
	QUICAddr                              string
	Join                                  []string
	ClusterSecret                         Secret
	DefaultConsistency                    string
	PrepareTimeout                        time.Duration
	AntiEntropyInterval                   time.Duration
	SchemaLease                           time.Duration
	DeltaSyncThresholdSeconds             int
	GCMinRetentionHours                   float64
	GCMaxRetentionHours                   float64
	GCInterval                            time.Duration
	PeerCAFile, PeerCertFile, PeerKeyFile string
	Replicate                             map[string]ReplicateConfig // [replicate.<db>] tables, from the config file only

	// MySQL.
	MySQLAddr           string
	MySQLUser           string
	MySQLPassword       Secret
	MySQLUsers          []MySQLUserConfig // [[mysql_users]], from the config file only
	MySQLTLSCert        string
	MySQLTLSKey         string
	MySQLRequireTLS     bool
	MySQLMaxConnections int

	// CDC.
	ClusterName      string
	CDCSchemas       bool
	CDCTransactions  bool
	CDCNATSURL       string
	CDCSubjectPrefix string
	// NATS JetStream publication (cmd/warren/publish.go).
	CDCNATSUser          string
	CDCNATSPassword      Secret
	CDCNATSToken         Secret
	CDCNATSCreds         string
	CDCNATSTLSCA         string
	CDCNATSTLSCert       string
	CDCNATSTLSKey        string
	CDCNATSStream        string
	CDCNATSCreateStream  bool
	CDCNATSFromBeginning bool
	CDCDatabases         []string
	CDCTables            []string
	CDCPublishAllNodes   bool
	// Kafka publication (cmd/warren/publish.go); the filters above apply.
	CDCKafkaBrokers                                []string
	CDCKafkaTopicPrefix                            string
	CDCKafkaCreateTopics                           bool
	CDCKafkaPartitions                             int
	CDCKafkaFromBeginning                          bool
	CDCKafkaTLS                                    bool
	CDCKafkaTLSCA, CDCKafkaTLSCert, CDCKafkaTLSKey string
	CDCKafkaSASLMechanism                          string
	CDCKafkaUser                                   string
	CDCKafkaPassword                               Secret

	// Engine.
	DefaultDatabase    string
	IDSlot             int
	IDStride           int
	Synchronous        string
	BusyTimeout        time.Duration
	ReadConns          int
	MaxBatch           int
	GroupCommitWindow  time.Duration
	WALCheckpointPages int
	QueryTimeout       time.Duration
	MaxRows            int
	TxIdleTimeout      time.Duration
	MaxTxBytes         ByteSize

	// HTTP API.
	MaxBodyBytes    ByteSize
	MaxStatements   int
	CORSOrigins     []string
	Tokens          []TokenConfig // from the config file only
	ShutdownTimeout time.Duration

	// Logging.
	LogFormat string
	LogLevel  string
	PprofAddr string
}

// ReplicateConfig selects the tables of one database that replicate
// (shell globs); the others stay local to each node.
type ReplicateConfig struct {
	Include []string
	Exclude []string
}

// TokenConfig is one bearer token of the HTTP API, from a [[tokens]] table.
type TokenConfig struct {
	Name   string
	Token  Secret
	Rights map[string]string // database name or "*" → "read", "write" or "admin"
}

// DefaultConfig returns the settings a node runs with when nothing is configured.
func DefaultConfig() Config {
	e := engine.DefaultConfig()
	return Config{
		DataDir:                   e.DataDir,
		HTTPAddr:                  ":8080",
		Region:                    "local",
		GossipAddr:                ":7946",
		QUICAddr:                  ":7947",
		DefaultConsistency:        "quorum",
		PrepareTimeout:            e.PrepareTimeout,
		AntiEntropyInterval:       time.Second,
		SchemaLease:               30 * time.Second,
		DeltaSyncThresholdSeconds: 6 * 3600,
		GCMinRetentionHours:       24,
		GCMaxRetentionHours:       7 * 24,
		GCInterval:                time.Minute,
		MySQLAddr:                 ":3306",
		MySQLMaxConnections:       151,
		CDCSubjectPrefix:          "warren",
		CDCNATSStream:             "WARREN",
		CDCKafkaTopicPrefix:       "warren",
		CDCKafkaPartitions:        1,
		ClusterName:               "warren",
		DefaultDatabase:           e.DefaultDatabase,
		IDSlot:                    e.Slot,
		IDStride:                  e.Stride,
		Synchronous:               e.Synchronous,
		BusyTimeout:               e.BusyTimeout,
		ReadConns:                 e.ReadConns,
		MaxBatch:                  e.MaxBatch,
		GroupCommitWindow:         e.GroupCommitWindow,
		WALCheckpointPages:        e.WALCheckpointPages,
		QueryTimeout:              e.QueryTimeout,
		MaxRows:                   e.MaxRows,
		TxIdleTimeout:             e.TxIdleTimeout,
		MaxTxBytes:                ByteSize(e.MaxChangeSetBytes),
		MaxBodyBytes:              api.DefaultMaxBodyBytes,
		MaxStatements:             api.DefaultMaxStatements,
		ShutdownTimeout:           10 * time.Second,
		LogFormat:                 "text",
		LogLevel:                  "info",
	}
}

// EngineConfig maps the settings to the engine's configuration.
func (c Config) EngineConfig(logger *slog.Logger) engine.Config {
	return engine.Config{
		DataDir:            c.DataDir,
		NodeID:             c.NodeID,
		DefaultDatabase:    c.DefaultDatabase,
		Slot:               c.IDSlot,
		Stride:             c.IDStride,
		Synchronous:        c.Synchronous,
		BusyTimeout:        c.BusyTimeout,
		ReadConns:          c.ReadConns,
		MaxBatch:           c.MaxBatch,
		GroupCommitWindow:  c.GroupCommitWindow,
		WALCheckpointPages: c.WALCheckpointPages,
		QueryTimeout:       c.QueryTimeout,
		MaxRows:            c.MaxRows,
		TxIdleTimeout:      c.TxIdleTimeout,
		DefaultConsistency: consistencyOf(c.DefaultConsistency),
		PrepareTimeout:     c.PrepareTimeout,
		MaxChangeSetBytes:  int(c.MaxTxBytes),
		Logger:             logger,
	}
}

// secrets returns every secret value set in c, for log redaction.
func (c Config) secrets() []string {
	var out []string
	for _, s := range []Secret{c.ClusterSecret, c.MySQLPassword, c.CDCNATSPassword, c.CDCNATSToken, c.CDCKafkaPassword} {
		if s != "" {
			out = append(out, s.Reveal())
		}
	}
	for _, t := range c.Tokens {
		if t.Token != "" {
			out = append(out, t.Token.Reveal())
		}
	}
	for _, u := range c.MySQLUsers {
		if u.Password != "" {
			out = append(out, u.Password.Reveal())
		}
	}
	return append(out, urlPasswords(c.CDCNATSURL)...)
}
