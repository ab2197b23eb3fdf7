package cdc

import (
	"context"
	"strconv"
	"testing"
)

// BenchmarkKafkaSink_Publish measures the events per second the Kafka sink
// gets acknowledged (acks=all, idempotent) by franz-go's in-process fake
// broker (kfake) on loopback, in batches of 256 (the publisher's default),
// with a realistic envelope and key.
func BenchmarkKafkaSink_Publish(b *testing.B) {
	k := startKafka(b)
	e := openBenchEngine(b)
	f := NewFeed(e, Options{Cluster: "bench"})
	value := sampleEnvelope(b, e, f)
	sink := newKafkaSink(b, testKafkaConfig(k))
	defer sink.Close()
	batch := make([]Message, 256)
	b.ResetTimer()
	for i := 0; i < b.N; i += len(batch) {
		size := min(len(batch), b.N-i)
		for j := range size {
			id := strconv.Itoa(i + j)
			batch[j] = Message{ID: "main:bench:" + id + ":0", DB: "main", Table: "t", Key: []byte(`{"id":` + id + `}`), Value: value}
		}
		if acked, err := sink.Publish(context.Background(), batch[:size]); acked != size || err != nil {
			b.Fatalf("Publish = %d, %v", acked, err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkPublisher_KafkaCatchUp measures the whole pipeline to kfake:
// reading the log, rendering, producing, acks and cursor saves, for b.N
// events that wait in the log (100 rows per transaction) at start.
func BenchmarkPublisher_KafkaCatchUp(b *testing.B) {
	k := startKafka(b)
	benchCatchUp(b, func() Sink { return newKafkaSink(b, testKafkaConfig(k)) })
}
