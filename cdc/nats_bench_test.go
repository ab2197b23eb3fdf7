package cdc

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/warren-db/warren/engine"
)

// BenchmarkNATSSink_Publish measures the events per second the NATS sink
// gets acknowledged by an embedded JetStream server, in batches of 256
// (the publisher's default), with a realistic envelope.
func BenchmarkNATSSink_Publish(b *testing.B) {
	n := startNATS(b)
	benchSinkPublish(b, func() Sink { return newNATSSink(b, testNATSConfig(n)) })
}

// benchSinkPublish publishes b.N messages carrying a realistic envelope and
// key through the sink newSink makes, in batches of 256 (the publisher's
// default), and reports the events acknowledged per second.
func benchSinkPublish(b *testing.B, newSink func() Sink) {
	e := openBenchEngine(b)
	value := sampleEnvelope(b, e, NewFeed(e, Options{Cluster: "bench"}))
	sink := newSink()
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

// BenchmarkPublisher_NATSCatchUp measures the whole pipeline: reading the
// log, rendering, publishing, acks and cursor saves, for b.N events that
// wait in the log (100 rows per transaction) when the publisher starts.
func BenchmarkPublisher_NATSCatchUp(b *testing.B) {
	n := startNATS(b)
	benchCatchUp(b, func() Sink { return newNATSSink(b, testNATSConfig(n)) })
}

// BenchmarkPublisher_NATSLatency measures the latency from a write to a
// core NATS subscriber of the subject receiving its change event, one
// write at a time: commit-p50/p99 from the start of the write, and
// publish-p50/p99 from its return (the commit acknowledged to the client).
func BenchmarkPublisher_NATSLatency(b *testing.B) {
	n := startNATS(b)
	e := openBenchEngine(b)
	f := NewFeed(e, Options{Cluster: "bench"})
	benchExec(b, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
	nc, err := nats.Connect(n.url())
	if err != nil {
		b.Fatal(err)
	}
	defer nc.Close()
	got := make(chan time.Time, 1)
	if _, err := nc.Subscribe("warren.main.t", func(*nats.Msg) { got <- time.Now() }); err != nil {
		b.Fatal(err)
	}
	cfg := PublisherConfig{Name: "bench", CursorPath: b.TempDir() + "/cursor.json", Logger: slog.New(slog.DiscardHandler)}
	p := NewPublisher(f, newNATSSink(b, testNATSConfig(n)), cfg)
	if err := p.Start(); err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	fromStart := make([]time.Duration, 0, b.N)
	fromCommit := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		benchExec(b, e, fmt.Sprintf("INSERT INTO t VALUES (%d, 'v')", i))
		committed := time.Now()
		select {
		case at := <-got:
			fromStart = append(fromStart, at.Sub(start))
			fromCommit = append(fromCommit, max(at.Sub(committed), 0))
		case <-time.After(10 * time.Second):
			b.Fatal("no event for the write")
		}
	}
	b.StopTimer()
	reportPercentiles(b, "commit", fromStart)
	reportPercentiles(b, "publish", fromCommit)
}

func reportPercentiles(b *testing.B, name string, d []time.Duration) {
	slices.Sort(d)
	at := func(q float64) float64 { return float64(d[int(q*float64(len(d)-1))].Microseconds()) / 1000 }
	b.ReportMetric(at(0.50), name+"-p50-ms")
	b.ReportMetric(at(0.99), name+"-p99-ms")
}

func benchExec(b *testing.B, e *engine.Engine, sql string) {
	if _, err := e.Exec(context.Background(), "main", []engine.Statement{{SQL: sql}}, engine.ExecOptions{}); err != nil {
		b.Fatal(err)
	}
}

// sampleEnvelope renders a typical insert's change event.
func sampleEnvelope(b *testing.B, e *engine.Engine, f *Feed) []byte {
	benchExec(b, e, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score REAL)")
	head, _ := e.LogHead("main")
	benchExec(b, e, "INSERT INTO t VALUES (1, 'a typical name', 12.5)")
	var value []byte
	if _, err := f.Catch(context.Background(), "main", End(head), Filter{}, func(ev *Event) error {
		table, err := f.Table(context.Background(), "main", "t")
		if err == nil {
			value, err = f.Options().Marshal(ev, table)
		}
		return err
	}); err != nil || value == nil {
		b.Fatalf("render: %v", err)
	}
	return value
}

func openBenchEngine(b *testing.B) *engine.Engine {
	cfg := engine.DefaultConfig()
	cfg.DataDir = b.TempDir()
	cfg.Logger = slog.New(slog.DiscardHandler)
	e, err := engine.Open(cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { e.Close() })
	return e
}
