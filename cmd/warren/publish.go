package main

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/warren-db/warren/cdc"
)

// publication is the node's NATS JetStream publisher and its sink.
type publication struct {
	publisher *cdc.Publisher
	sink      *cdc.NATSSink
}

// natsCursorPath is where the NATS publisher keeps its cursors.
func natsCursorPath(dataDir string) string {
	return filepath.Join(dataDir, "cdc", "nats-cursor.json")
}

// startPublisher starts publishing the change feed to NATS JetStream when
// cdc_nats_url is set, and to Kafka when cdc_kafka_brokers is set; each
// has its own cursor file and log hold. A broker that is down does not
// fail it: the publishers retry in the background, forever.
func (m *Main) startPublisher() error {
	if err := m.startNATSPublisher(); err != nil {
		return err
	}
	return m.startKafkaPublisher()
}

// startNATSPublisher starts publishing to NATS JetStream when
// cdc_nats_url is set.
func (m *Main) startNATSPublisher() error {
	c := m.Config
	if c.CDCNATSURL == "" {
		return nil
	}
	log := m.component("cdc")
	sink, err := cdc.NewNATSSink(cdc.NATSConfig{
		URL: c.CDCNATSURL, Prefix: c.CDCSubjectPrefix, Stream: c.CDCNATSStream, CreateStream: c.CDCNATSCreateStream,
		User: c.CDCNATSUser, Password: c.CDCNATSPassword.Reveal(), Token: c.CDCNATSToken.Reveal(),
		CredsFile: c.CDCNATSCreds, TLSCA: c.CDCNATSTLSCA, TLSCert: c.CDCNATSTLSCert, TLSKey: c.CDCNATSTLSKey,
		Name: "warren-" + m.engine.NodeID(), Logger: log,
	})
	if err != nil {
		return fmt.Errorf("start nats publisher: %w", err)
	}
	p, err := m.startSinkPublisher("nats", natsCursorPath(c.DataDir), sink, c.CDCNATSFromBeginning)
	if err != nil {
		return err
	}
	m.publish = &publication{publisher: p, sink: sink}
	log.Info("publishing changes to nats jetstream", "nats", redactURLs(c.CDCNATSURL), "stream", c.CDCNATSStream,
		"subjects", c.CDCSubjectPrefix+".<db>.<table>", "all_nodes", c.CDCPublishAllNodes)
	return nil
}

// startSinkPublisher publishes the change feed to sink with the
// publication filters every sink shares; on failure it closes sink.
func (m *Main) startSinkPublisher(name, cursorPath string, sink cdc.Sink, fromBeginning bool) (*cdc.Publisher, error) {
	c := m.Config
	p := cdc.NewPublisher(m.feed, sink, cdc.PublisherConfig{
		Name: name, CursorPath: cursorPath,
		Databases: c.CDCDatabases, Tables: c.CDCTables,
		AllOrigins: c.CDCPublishAllNodes, FromBeginning: fromBeginning,
		Logger: m.component("cdc"),
	})
	if err := p.Start(); err != nil {
		_ = sink.Close()
		return nil, fmt.Errorf("start %s publisher: %w", name, err)
	}
	return p, nil
}

// stopPublisher stops the publishers, saving their cursors; it must run
// before the engine closes.
func (m *Main) stopPublisher() error {
	var errs []error
	if m.publish != nil {
		if err := m.publish.publisher.Close(); err != nil {
			errs = append(errs, fmt.Errorf("stop nats publisher: %w", err))
		}
	}
	if m.kafka != nil {
		if err := m.kafka.Close(); err != nil {
			errs = append(errs, fmt.Errorf("stop kafka publisher: %w", err))
		}
	}
	return errors.Join(errs...)
}
