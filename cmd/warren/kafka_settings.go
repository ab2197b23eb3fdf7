package main

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
)

// kafkaSettings are the settings of Kafka publication, in group g. The
// publication filters (cdc_databases, cdc_tables, cdc_publish_all_nodes)
// are shared with NATS.
func kafkaSettings(g string) []setting {
	return []setting{
		{key: "cdc_kafka_brokers", arg: "HOST:PORT[,HOST:PORT...]", group: g,
			help:  "Kafka seed brokers; when set, every change is produced to Kafka (idempotent producer, acks=all).",
			bind:  list(func(c *Config) *[]string { return &c.CDCKafkaBrokers }),
			check: checkKafkaBrokers},
		{key: "cdc_kafka_topic_prefix", arg: "PREFIX", group: g,
			help:  "Topic prefix: a change of table T in database D goes to topic PREFIX.D.T.",
			bind:  str(func(c *Config) *string { return &c.CDCKafkaTopicPrefix }),
			check: checkKafkaTopicPrefix},
		{key: "cdc_kafka_create_topics", group: g,
			help: "Create missing topics with cdc_kafka_partitions partitions (the broker's default replication factor); off: a missing topic is logged as an error and publishing waits for it.",
			bind: boolean(func(c *Config) *bool { return &c.CDCKafkaCreateTopics })},
		{key: "cdc_kafka_partitions", arg: "N", group: g,
			help:  "Partitions of the topics cdc_kafka_create_topics creates; records are keyed by primary key, so a row's changes stay in order.",
			bind:  integer(func(c *Config) *int { return &c.CDCKafkaPartitions }),
			check: func(c *Config) error { return between("cdc_kafka_partitions", c.CDCKafkaPartitions, 1, 10000) }},
		{key: "cdc_kafka_from_beginning", group: g,
			help: "At the first start (no Kafka cursor yet), publish the changes the log still holds instead of starting at its head.",
			bind: boolean(func(c *Config) *bool { return &c.CDCKafkaFromBeginning })},
		{key: "cdc_kafka_tls", group: g,
			help: "Connect to Kafka with TLS, trusting the system's CAs (implied by cdc_kafka_tls_ca, _cert and _key).",
			bind: boolean(func(c *Config) *bool { return &c.CDCKafkaTLS })},
		{key: "cdc_kafka_tls_ca", arg: "FILE", group: g,
			help: "PEM CA that signs the Kafka brokers' certificates (default: the system's); turns TLS on.",
			bind: str(func(c *Config) *string { return &c.CDCKafkaTLSCA })},
		{key: "cdc_kafka_tls_cert", arg: "FILE", group: g,
			help:  "PEM client certificate for Kafka (mutual TLS), with cdc_kafka_tls_key.",
			bind:  str(func(c *Config) *string { return &c.CDCKafkaTLSCert }),
			check: checkKafkaTLS},
		{key: "cdc_kafka_tls_key", arg: "FILE", group: g,
			help: "PEM private key of cdc_kafka_tls_cert.",
			bind: str(func(c *Config) *string { return &c.CDCKafkaTLSKey })},
		{key: "cdc_kafka_sasl_mechanism", arg: "MECHANISM", group: g,
			help:  "SASL authentication with Kafka: plain, scram-sha-256 or scram-sha-512 (with cdc_kafka_user and cdc_kafka_password); empty: none.",
			bind:  str(func(c *Config) *string { return &c.CDCKafkaSASLMechanism }),
			check: checkKafkaSASL},
		{key: "cdc_kafka_user", arg: "USER", group: g,
			help: "SASL user name for Kafka.",
			bind: str(func(c *Config) *string { return &c.CDCKafkaUser })},
		{key: "cdc_kafka_password", arg: "PASSWORD", group: g,
			help: "SASL password of cdc_kafka_user. Never logged.",
			bind: secret(func(c *Config) *Secret { return &c.CDCKafkaPassword })},
	}
}

// checkKafkaBrokers needs host:port entries.
func checkKafkaBrokers(c *Config) error {
	for _, b := range c.CDCKafkaBrokers {
		host, port, err := net.SplitHostPort(strings.TrimSpace(b))
		if n, perr := strconv.Atoi(port); err != nil || host == "" || perr != nil || n < 1 || n > 65535 {
			return fmt.Errorf("cdc_kafka_brokers entry %q is not HOST:PORT (like 127.0.0.1:9092)", b)
		}
	}
	return nil
}

// checkKafkaTopicPrefix allows the characters of a topic name.
func checkKafkaTopicPrefix(c *Config) error {
	p := c.CDCKafkaTopicPrefix
	ok := p != "" && len(p) <= 200 && !strings.HasPrefix(p, ".") && !strings.HasSuffix(p, ".")
	for _, r := range p {
		ok = ok && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-')
	}
	if !ok {
		return fmt.Errorf("cdc_kafka_topic_prefix %q is not a topic prefix: use letters, digits, '.', '_' and '-'", p)
	}
	return nil
}

// checkKafkaTLS needs the client certificate and its key together.
func checkKafkaTLS(c *Config) error {
	if (c.CDCKafkaTLSCert == "") != (c.CDCKafkaTLSKey == "") {
		return errors.New("cdc_kafka_tls_cert and cdc_kafka_tls_key go together: set both or neither")
	}
	return nil
}

// checkKafkaSASL checks the mechanism and that it has a user.
func checkKafkaSASL(c *Config) error {
	switch c.CDCKafkaSASLMechanism {
	case "":
		if c.CDCKafkaUser != "" || c.CDCKafkaPassword != "" {
			return errors.New("cdc_kafka_user and cdc_kafka_password need cdc_kafka_sasl_mechanism (plain, scram-sha-256 or scram-sha-512)")
		}
		return nil
	case "plain", "scram-sha-256", "scram-sha-512":
		if c.CDCKafkaUser == "" {
			return fmt.Errorf("cdc_kafka_sasl_mechanism %s needs cdc_kafka_user and cdc_kafka_password", c.CDCKafkaSASLMechanism)
		}
		return nil
	}
	return fmt.Errorf("cdc_kafka_sasl_mechanism %q: use plain, scram-sha-256 or scram-sha-512", c.CDCKafkaSASLMechanism)
}
