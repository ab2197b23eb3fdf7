package cdc

import (
	"context"
	"log/slog"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
)

// fakeKafka is franz-go's in-process fake Kafka (kfake) on loopback, which
// a test can stop and start again on the same port and data directory.
type fakeKafka struct {
	port int
	dir  string
	c    *kfake.Cluster
}

// startKafka starts a one-broker fake Kafka on a free loopback port.
func startKafka(t testing.TB) *fakeKafka {
	t.Helper()
	k := &fakeKafka{dir: t.TempDir()}
	k.start(t)
	_, port, _ := net.SplitHostPort(k.c.ListenAddrs()[0])
	k.port, _ = strconv.Atoi(port)
	t.Cleanup(k.stop)
	return k
}

func (k *fakeKafka) start(t testing.TB) {
	t.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.Ports(k.port), kfake.DataDir(k.dir))
	if err != nil {
		t.Fatal(err)
	}
	k.c = c
}

func (k *fakeKafka) stop() {
	if k.c != nil {
		k.c.Close()
		k.c = nil
	}
}

func (k *fakeKafka) brokers() []string { return []string{"127.0.0.1:" + strconv.Itoa(k.port)} }

func testKafkaConfig(k *fakeKafka) KafkaConfig {
	return KafkaConfig{Brokers: k.brokers(), CreateTopics: true, DeliveryTimeout: time.Second,
		ProbeInterval: 50 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)}
}

func newKafkaSink(t testing.TB, cfg KafkaConfig) *KafkaSink {
	t.Helper()
	s, err := NewKafkaSink(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// consumeKafka reads topic from its start until it has read at least want
// records (or 10 s pass), and returns them in partition order.
func consumeKafka(t testing.TB, k *fakeKafka, topic string, want int) []*kgo.Record {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(k.brokers()...), kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchMaxWait(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var out []*kgo.Record
	for len(out) < want && ctx.Err() == nil {
		fs := cl.PollFetches(ctx)
		fs.EachRecord(func(r *kgo.Record) { out = append(out, r) })
	}
	return out
}

// header returns the value of r's header key.
func header(r *kgo.Record, key string) string {
	for _, h := range r.Headers {
		if h.Key == key {
			return string(h.Value)
		}
	}
	return ""
}
