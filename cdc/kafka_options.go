package cdc

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"
)

// options are the client options: an idempotent producer with acks from
// every in-sync replica (kgo's defaults, stated here), no linger (Publish
// hands a whole batch at once and waits for it), records failed after
// DeliveryTimeout so that the publisher's backoff takes over, TLS and
// SASL.
func (s *KafkaSink) options() ([]kgo.Opt, error) {
	c := s.cfg
	if len(c.Brokers) == 0 {
		return nil, errors.New("no kafka brokers")
	}
	opts := []kgo.Opt{
		kgo.SeedBrokers(c.Brokers...),
		kgo.ClientID(c.ClientID),
		kgo.RequiredAcks(kgo.AllISRAcks()),
		kgo.ProducerLinger(0),
		kgo.RecordDeliveryTimeout(c.DeliveryTimeout),
		kgo.ProduceRequestTimeout(c.DeliveryTimeout),
		kgo.WithLogger(kafkaLogger{s.log}),
	}
	if c.TLS || c.TLSCA != "" || c.TLSCert != "" || c.TLSKey != "" {
		tc, err := kafkaTLS(c.TLSCA, c.TLSCert, c.TLSKey)
		if err != nil {
			return nil, err
		}
		opts = append(opts, kgo.DialTLSConfig(tc))
	}
	if c.SASLMechanism != "" {
		m, err := kafkaSASL(c.SASLMechanism, c.User, c.Password)
		if err != nil {
			return nil, err
		}
		opts = append(opts, kgo.SASL(m))
	}
	return opts, nil
}

// kafkaTLS is the TLS configuration: the brokers' CA (default: the
// system's) and an optional client certificate.
func kafkaTLS(caFile, certFile, keyFile string) (*tls.Config, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("read kafka tls ca: %w", err)
		}
		tc.RootCAs = x509.NewCertPool()
		if !tc.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("read kafka tls ca %s: no PEM certificate", caFile)
		}
	}
	if certFile != "" || keyFile != "" {
		cert, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			return nil, fmt.Errorf("load kafka tls certificate: %w", err)
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	return tc, nil
}

// kafkaSASL is the SASL mechanism named by mechanism.
func kafkaSASL(mechanism, user, password string) (sasl.Mechanism, error) {
	switch mechanism {
	case "plain":
		return plain.Auth{User: user, Pass: password}.AsMechanism(), nil
	case "scram-sha-256":
		return scram.Auth{User: user, Pass: password}.AsSha256Mechanism(), nil
	case "scram-sha-512":
		return scram.Auth{User: user, Pass: password}.AsSha512Mechanism(), nil
	}
	return nil, fmt.Errorf("unknown kafka sasl mechanism %q: use plain, scram-sha-256 or scram-sha-512", mechanism)
}

// kafkaLogger hands the client's errors to slog at WARN and its warnings
// (connection failures, retried requests: the publisher reports outages
// itself) at DEBUG.
type kafkaLogger struct{ log *slog.Logger }

// Level asks the client for warnings and errors only.
func (l kafkaLogger) Level() kgo.LogLevel { return kgo.LogLevelWarn }

// Log logs one message of the client.
func (l kafkaLogger) Log(level kgo.LogLevel, msg string, keyvals ...any) {
	lvl := slog.LevelDebug
	if level == kgo.LogLevelError {
		lvl = slog.LevelWarn
	}
	l.log.Log(context.Background(), lvl, "kafka client: "+msg, keyvals...)
}
