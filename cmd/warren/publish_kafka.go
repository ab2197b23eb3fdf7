package main

import (
	"fmt"
	"path/filepath"

	"github.com/warren-db/warren/cdc"
)

// kafkaCursorPath is where the Kafka publisher keeps its cursors.
func kafkaCursorPath(dataDir string) string {
	return filepath.Join(dataDir, "cdc", "kafka-cursor.json")
}

// startKafkaPublisher starts producing the change feed to Kafka when
// cdc_kafka_brokers is set, with the publication filters NATS uses.
func (m *Main) startKafkaPublisher() error {
	c := m.Config
	if len(c.CDCKafkaBrokers) == 0 {
		return nil
	}
	log := m.component("cdc")
	sink, err := cdc.NewKafkaSink(cdc.KafkaConfig{
		Brokers: c.CDCKafkaBrokers, Prefix: c.CDCKafkaTopicPrefix,
		CreateTopics: c.CDCKafkaCreateTopics, Partitions: int32(c.CDCKafkaPartitions),
		TLS: c.CDCKafkaTLS, TLSCA: c.CDCKafkaTLSCA, TLSCert: c.CDCKafkaTLSCert, TLSKey: c.CDCKafkaTLSKey,
		SASLMechanism: c.CDCKafkaSASLMechanism, User: c.CDCKafkaUser, Password: c.CDCKafkaPassword.Reveal(),
		ClientID: "warren-" + m.engine.NodeID(), Logger: log,
	})
	if err != nil {
		return fmt.Errorf("start kafka publisher: %w", err)
	}
	if m.kafka, err = m.startSinkPublisher("kafka", kafkaCursorPath(c.DataDir), sink, c.CDCKafkaFromBeginning); err != nil {
		return err
	}
	log.Info("publishing changes to kafka", "brokers", c.CDCKafkaBrokers,
		"topics", c.CDCKafkaTopicPrefix+".<db>.<table>", "all_nodes", c.CDCPublishAllNodes)
	return nil
}
