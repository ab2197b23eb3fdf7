package cdc

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/warren-db/warren/engine"
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
	e := openBenchEngine(b)
	f := NewFeed(e, Options{Cluster: "bench"})
	benchExec(b, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score REAL)")
	for i := 0; i < b.N; i += 100 {
		var sts []engine.Statement
		for j := i; j < min(i+100, b.N); j++ {
			sts = append(sts, engine.Statement{SQL: fmt.Sprintf("INSERT INTO t VALUES (%d, 'name-%d', %d.5)", j, j, j)})
		}
		if _, err := e.Exec(context.Background(), "main", sts, engine.ExecOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	cfg := PublisherConfig{Name: "bench", CursorPath: b.TempDir() + "/cursor.json", FromBeginning: true,
		Logger: slog.New(slog.DiscardHandler)}
	b.ResetTimer()
	p := NewPublisher(f, newKafkaSink(b, testKafkaConfig(k)), cfg)
	if err := p.Start(); err != nil {
		b.Fatal(err)
	}
	for p.Stats()[0].Published < uint64(b.N) {
		time.Sleep(time.Millisecond)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	if err := p.Close(); err != nil {
		b.Fatal(err)
	}
}
