package cdc

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Headers of every record the Kafka sink produces.
const (
	// KafkaHeaderChangeID carries Message.ID, the change identity: the same
	// for every delivery of a change, so consumers deduplicate on it.
	KafkaHeaderChangeID = "warren-change-id"
	// KafkaHeaderDB carries the database of the change.
	KafkaHeaderDB = "warren-db"
	// KafkaHeaderTable carries the table of the change.
	KafkaHeaderTable = "warren-table"
)

// KafkaConfig configures a KafkaSink. Zero values take the documented
// defaults.
type KafkaConfig struct {
	// Brokers lists the seed brokers, host:port. Required.
	Brokers []string
	// Prefix starts every topic: a change of table T in database D goes to
	// topic Prefix.D.T, Debezium's naming ("warren").
	Prefix string
	// CreateTopics creates a missing topic before the first record goes to
	// it, with Partitions and ReplicationFactor. Without it a missing topic
	// is logged as an error and publishing retries until someone creates it.
	CreateTopics bool
	// Partitions is the partition count of created topics (1). Records are
	// partitioned by key, so a row's changes stay in order.
	Partitions int32
	// ReplicationFactor of created topics; 0 or -1: the broker's default.
	ReplicationFactor int16
	// TLS connects with TLS; TLSCA, TLSCert and TLSKey (PEM files: the CA
	// that signs the brokers' certificates, default the system's, and this
	// client's certificate and key) imply it.
	TLS                    bool
	TLSCA, TLSCert, TLSKey string
	// SASLMechanism is "plain", "scram-sha-256" or "scram-sha-512" (with
	// User and Password); empty: no SASL.
	SASLMechanism, User, Password string
	// ClientID names the client to the brokers ("warren").
	ClientID string
	// DeliveryTimeout bounds how long Publish waits for a record's
	// acknowledgement when the brokers are unreachable (10s): the publisher
	// retries a failed publish with backoff, forever.
	DeliveryTimeout time.Duration
	// ProbeInterval is how often an idle sink checks that a broker answers,
	// for Connected (5s).
	ProbeInterval time.Duration
	// Logger defaults to slog.Default() with component=cdc.
	Logger *slog.Logger
}

// KafkaSink produces change events to Kafka with an idempotent producer
// (acks=all): to topic Prefix.db.table, keyed by the event key (so a row's
// changes stay in one partition, in order), with the Debezium envelope as
// value and headers warren-change-id, warren-db and warren-table.
type KafkaSink struct {
	cfg   KafkaConfig
	log   *slog.Logger
	cl    *kgo.Client
	admin *kadm.Client

	topicsMu      sync.Mutex
	topics        map[string]bool // known to exist (created)
	missingLogged atomic.Bool     // a missing topic was logged since the last success

	connected atomic.Bool
	lastOK    atomic.Int64 // unix nanoseconds of the last acknowledged produce or probe
	stop      context.CancelFunc
	probing   sync.WaitGroup
}

var _ Sink = (*KafkaSink)(nil)
var _ Connectivity = (*KafkaSink)(nil)

// NewKafkaSink makes the Kafka client. Brokers that are down are not an
// error: the client connects when it produces. Only a bad configuration
// (no brokers, an unknown SASL mechanism, unreadable TLS files) fails.
func NewKafkaSink(cfg KafkaConfig) (*KafkaSink, error) {
	cfg.Prefix = orNonEmpty(cfg.Prefix, "warren")
	cfg.ClientID = orNonEmpty(cfg.ClientID, "warren")
	cfg.Partitions = int32(orPositive(int(cfg.Partitions), 1))
	if cfg.ReplicationFactor <= 0 {
		cfg.ReplicationFactor = -1
	}
	cfg.DeliveryTimeout = orPositive(cfg.DeliveryTimeout, 10*time.Second)
	cfg.ProbeInterval = orPositive(cfg.ProbeInterval, 5*time.Second)
	log := cfg.Logger
	if log == nil {
		log = slog.Default().With("component", "cdc")
	}
	s := &KafkaSink{cfg: cfg, log: log.With("sink", "kafka"), topics: map[string]bool{}}
	opts, err := s.options()
	if err != nil {
		return nil, fmt.Errorf("configure kafka: %w", err)
	}
	if s.cl, err = kgo.NewClient(opts...); err != nil {
		return nil, fmt.Errorf("create kafka client: %w", err)
	}
	s.admin = kadm.NewClient(s.cl)
	ctx, cancel := context.WithCancel(context.Background())
	s.stop = cancel
	s.probing.Add(1)
	go s.probe(ctx)
	return s, nil
}

// Topic is where a change of table in db goes: Prefix.db.table, with the
// characters a topic name cannot hold (anything but letters, digits, '-'
// and '_'; '.' separates the parts) replaced by '_'.
func (s *KafkaSink) Topic(db, table string) string {
	return s.cfg.Prefix + "." + topicPart(db) + "." + topicPart(table)
}

func topicPart(name string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, name)
}

// Publish produces batch in order and waits for the acknowledgements; it
// returns how many leading messages the brokers acknowledged. After a
// failure the rest of the batch is sent again by the publisher: records of
// other partitions acknowledged meanwhile arrive twice (consumers
// deduplicate on warren-change-id).
func (s *KafkaSink) Publish(ctx context.Context, batch []Message) (int, error) {
	if err := s.ensureTopics(ctx, batch); err != nil {
		return 0, err
	}
	acks := newKafkaAcks(len(batch))
	for i := range batch {
		s.cl.Produce(ctx, s.record(&batch[i]), func(_ *kgo.Record, err error) { acks.set(i, err) })
	}
	select {
	case <-acks.all:
	case <-ctx.Done():
	}
	n, err := acks.prefix()
	if err == nil && n < len(batch) {
		err = ctx.Err()
	}
	if err != nil {
		s.connected.Store(false)
		s.topicFailed(batch[n], err)
		return n, fmt.Errorf("produce change %s: %w", batch[n].ID, err)
	}
	s.missingLogged.Store(false)
	s.markOK()
	return n, nil
}

// record is the Kafka record of m.
func (s *KafkaSink) record(m *Message) *kgo.Record {
	return &kgo.Record{
		Topic: s.Topic(m.DB, m.Table),
		Key:   m.Key,
		Value: m.Value,
		Headers: []kgo.RecordHeader{
			{Key: KafkaHeaderChangeID, Value: []byte(m.ID)},
			{Key: KafkaHeaderDB, Value: []byte(m.DB)},
			{Key: KafkaHeaderTable, Value: []byte(m.Table)},
		},
	}
}

// Connected reports whether the last produce or probe reached a broker.
func (s *KafkaSink) Connected() bool { return s.connected.Load() }

// Close stops the probe and closes the client; records still buffered
// fail (the publisher does not call Publish after Close).
func (s *KafkaSink) Close() error {
	s.stop()
	s.probing.Wait()
	s.cl.Close()
	return nil
}

func (s *KafkaSink) markOK() {
	s.lastOK.Store(time.Now().UnixNano())
	s.connected.Store(true)
}

// probe pings a broker every ProbeInterval in which nothing was
// acknowledged, so Connected tells the truth while no change is published.
func (s *KafkaSink) probe(ctx context.Context) {
	defer s.probing.Done()
	for {
		if time.Since(time.Unix(0, s.lastOK.Load())) >= s.cfg.ProbeInterval {
			pctx, cancel := context.WithTimeout(ctx, s.cfg.ProbeInterval)
			err := s.cl.Ping(pctx)
			cancel()
			switch {
			case ctx.Err() != nil:
				return
			case err != nil:
				s.connected.Store(false)
			default:
				s.markOK()
			}
		}
		if !sleepCtx(ctx, s.cfg.ProbeInterval) {
			return
		}
	}
}

// ErrTopicMissing reports that a topic does not exist and the sink may not
// create it.
var ErrTopicMissing = errors.New("kafka topic does not exist")

// ensureTopics creates the batch's topics not known to exist, with
// CreateTopics.
func (s *KafkaSink) ensureTopics(ctx context.Context, batch []Message) error {
	if !s.cfg.CreateTopics {
		return nil
	}
	var missing []string
	s.topicsMu.Lock()
	for i := range batch {
		if t := s.Topic(batch[i].DB, batch[i].Table); !s.topics[t] {
			s.topics[t] = true // tentatively, to list each once
			missing = append(missing, t)
		}
	}
	for _, t := range missing {
		delete(s.topics, t)
	}
	s.topicsMu.Unlock()
	if len(missing) == 0 {
		return nil
	}
	resps, err := s.admin.CreateTopics(ctx, s.cfg.Partitions, s.cfg.ReplicationFactor, nil, missing...)
	if err != nil {
		return fmt.Errorf("create kafka topics %s: %w", strings.Join(missing, ", "), err)
	}
	s.topicsMu.Lock()
	defer s.topicsMu.Unlock()
	for _, r := range resps.Sorted() {
		switch {
		case r.Err == nil:
			s.log.Info("created kafka topic", "topic", r.Topic, "partitions", s.cfg.Partitions)
		case !errors.Is(r.Err, kerr.TopicAlreadyExists):
			return fmt.Errorf("create kafka topic %s: %w", r.Topic, r.Err)
		}
		s.topics[r.Topic] = true
	}
	return nil
}

// topicFailed notes a failed produce of m: a topic that does not exist is
// logged once until a produce succeeds, and created again next time with
// CreateTopics.
func (s *KafkaSink) topicFailed(m Message, err error) {
	if !errors.Is(err, kerr.UnknownTopicOrPartition) && !errors.Is(err, kerr.UnknownTopicID) {
		return
	}
	topic := s.Topic(m.DB, m.Table)
	s.topicsMu.Lock()
	defer s.topicsMu.Unlock()
	delete(s.topics, topic)
	if !s.cfg.CreateTopics && !s.missingLogged.Swap(true) {
		s.log.Error("kafka topic missing: create it or turn on topic creation; publishing retries until it exists",
			"topic", topic, "err", fmt.Errorf("%w: %w", ErrTopicMissing, err))
	}
}
