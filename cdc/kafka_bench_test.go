package cdc

import (
	"testing"
)

// BenchmarkKafkaSink_Publish measures the events per second the Kafka sink
// gets acknowledged (acks=all, idempotent) by franz-go's in-process fake
// broker (kfake) on loopback, in batches of 256 (the publisher's default),
// with a realistic envelope and key.
func BenchmarkKafkaSink_Publish(b *testing.B) {
	k := startKafka(b)
	benchSinkPublish(b, func() Sink { return newKafkaSink(b, testKafkaConfig(k)) })
}

// BenchmarkPublisher_KafkaCatchUp measures the whole pipeline to kfake:
// reading the log, rendering, producing, acks and cursor saves, for b.N
// events that wait in the log (100 rows per transaction) at start.
func BenchmarkPublisher_KafkaCatchUp(b *testing.B) {
	k := startKafka(b)
	benchCatchUp(b, func() Sink { return newKafkaSink(b, testKafkaConfig(k)) })
}
