package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/plain"
)

func TestMain_PublishesToKafka(t *testing.T) {
	const password = "kafka-SECRET-91bb"
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.EnableSASL(), kfake.Superuser("PLAIN", "warren", password))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	m, logs := runPublishingNode(t, "--cdc-kafka-brokers", c.ListenAddrs()[0], "--cdc-kafka-sasl-mechanism", "plain",
		"--cdc-kafka-user", "warren", "--cdc-kafka-password", password, "--cdc-kafka-create-topics",
		"--cdc-kafka-topic-prefix", "dbz", "--cdc-tables", "t")
	defer m.Close()
	var metrics string
	waitUntil(t, "metrics with no lag", func() bool {
		metrics = getText(t, "http://"+m.HTTPAddr()+"/metrics")
		return strings.Contains(metrics, `warren_cdc_kafka_lag_events{db="main"} 0`) &&
			strings.Contains(metrics, `warren_cdc_kafka_published_total{db="main"} 2`)
	})
	for _, want := range []string{"warren_cdc_kafka_connected 1", `warren_cdc_kafka_cursor_position{db="main"} 4`,
		"# TYPE warren_cdc_kafka_published_total counter"} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %q:\n%s", want, metrics)
		}
	}
	if strings.Contains(metrics, "warren_cdc_nats") {
		t.Errorf("NATS metrics without NATS publication:\n%s", metrics)
	}
	recs := consumeTopic(t, c.ListenAddrs()[0], password, "dbz.main.t", 2)
	if len(recs) != 2 || string(recs[0].Key) != `{"id":1}` || string(recs[1].Key) != `{"id":2}` {
		t.Fatalf("topic dbz.main.t holds %d records: %v", len(recs), recs)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	cursor, err := os.ReadFile(filepath.Join(m.Config.DataDir, "cdc", "kafka-cursor.json"))
	if err != nil || !strings.Contains(string(cursor), `"main": "4"`) {
		t.Errorf("cursor file %s, %v; want main at the end of change set 4", cursor, err)
	}
	if strings.Contains(logs.String(), password) {
		t.Errorf("the Kafka password reached the log:\n%s", logs.String())
	}
}

// consumeTopic reads topic from its start until it has want records or
// 10 s pass.
func consumeTopic(t *testing.T, broker, password, topic string, want int) []*kgo.Record {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(broker), kgo.ConsumeTopics(topic),
		kgo.SASL(plain.Auth{User: "warren", Pass: password}.AsMechanism()),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchMaxWait(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var out []*kgo.Record
	for len(out) < want && ctx.Err() == nil {
		cl.PollFetches(ctx).EachRecord(func(r *kgo.Record) { out = append(out, r) })
	}
	return out
}

func TestConfig_ValidateKafka(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--cdc-kafka-brokers", "localhost"}, `cdc_kafka_brokers entry "localhost" is not HOST:PORT`},
		{[]string{"--cdc-kafka-topic-prefix", "a b"}, `cdc_kafka_topic_prefix "a b" is not a topic prefix`},
		{[]string{"--cdc-kafka-tls-key", "k.pem"}, "cdc_kafka_tls_cert and cdc_kafka_tls_key go together"},
		{[]string{"--cdc-kafka-sasl-mechanism", "gssapi"}, `cdc_kafka_sasl_mechanism "gssapi"`},
		{[]string{"--cdc-kafka-sasl-mechanism", "plain"}, "needs cdc_kafka_user"},
		{[]string{"--cdc-kafka-user", "u"}, "need cdc_kafka_sasl_mechanism"},
		{[]string{"--cdc-kafka-partitions", "0"}, "cdc_kafka_partitions"},
	} {
		err := parseErr(t, nil, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want %q", tc.args, err, tc.want)
		}
	}
	c := parse(t, nil, "--cdc-kafka-brokers", "127.0.0.1:9092,[::1]:9093", "--cdc-kafka-sasl-mechanism", "scram-sha-512",
		"--cdc-kafka-user", "u", "--cdc-kafka-password", "pw-kafka")
	if strings.Join(c.CDCKafkaBrokers, ",") != "127.0.0.1:9092,[::1]:9093" || c.CDCKafkaTopicPrefix != "warren" ||
		c.CDCKafkaPartitions != 1 || c.CDCKafkaPassword.Reveal() != "pw-kafka" {
		t.Errorf("config %+v", c)
	}
	if secrets := strings.Join(c.secrets(), ","); !strings.Contains(secrets, "pw-kafka") {
		t.Errorf("the Kafka password is not redacted from logs: secrets %q", secrets)
	}
}
