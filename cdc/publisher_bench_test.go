package cdc

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/warren-db/warren/engine"
)

// benchCatchUp publishes b.N events that wait in the log (100 rows per
// transaction) through the sink newSink makes, timing from the publisher's
// start to the last acknowledgement.
func benchCatchUp(b *testing.B, newSink func() Sink) {
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
	p := NewPublisher(f, newSink(), cfg)
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
