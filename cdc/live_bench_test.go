package cdc

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/warren-db/warren/engine"
)

// BenchmarkLiveQuery_Incremental measures the incremental path: a live
// query with a WHERE over a 20,000-row table catches up with b.N updates
// made in transactions of 100 while it was held at its ready event; every
// update moves a row into or out of the result, so each gives one event.
// The writes are not timed. It reports events/s.
func BenchmarkLiveQuery_Incremental(b *testing.B) {
	const rows, perTx = 20000, 100
	e := openEngine(b)
	ctx := context.Background()
	stmts := func(sqls ...string) {
		var sts []engine.Statement
		for _, s := range sqls {
			sts = append(sts, engine.Statement{SQL: s})
		}
		if _, err := e.Exec(ctx, "main", sts, engine.ExecOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	stmts("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER, pad TEXT)",
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "+strconv.Itoa(rows)+") "+
			"INSERT INTO t SELECT i, 0, 'padding' FROM n")
	q, err := NewFeed(e, Options{}).Live("main", engine.Statement{SQL: "SELECT id, v FROM t WHERE v % 2 = 1"}, LiveOptions{})
	if err != nil {
		b.Fatal(err)
	}
	events, ready, release := make(chan struct{}, 4096), make(chan struct{}), make(chan struct{})
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- q.Run(runCtx, func(ev *LiveEvent) error {
			switch ev.Kind {
			case LiveReady:
				close(ready)
				select {
				case <-release:
				case <-runCtx.Done():
				}
			case LiveInsert, LiveDelete:
				events <- struct{}{}
			}
			return nil
		})
	}()
	defer func() { cancel(); <-done }()
	<-ready // writes from here on are changes to the result
	sent := 0
	for sent < b.N {
		n := min(perTx, b.N-sent)
		var sts []string
		for i := range n {
			sts = append(sts, "UPDATE t SET v = v + 1 WHERE id = "+strconv.Itoa((sent+i)%rows+1))
		}
		stmts(sts...)
		sent += n
	}
	b.ResetTimer()
	start := time.Now()
	close(release)
	for got := range b.N {
		select {
		case <-events:
		case err := <-done:
			b.Fatalf("live query ended: %v", err)
		case <-time.After(30 * time.Second):
			b.Fatalf("%d events of %d after %v", got, b.N, time.Since(start))
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
}
