package replication

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/warren-db/warren/engine"
)

// BenchmarkReplicationLag measures write-to-visible lag on another node of a
// 3-node loopback cluster: a write is answered on n1, then n2 is polled
// (engine reads, no HTTP) until the row is there. Reported as p50/p99.
func BenchmarkReplicationLag(b *testing.B) {
	for _, level := range []engine.Consistency{engine.ConsistencyOne, engine.ConsistencyQuorum} {
		b.Run(level.String(), func(b *testing.B) {
			nodes := startCluster(b, 3, testClusterOpts{})
			nodes[0].mustExec(b, "CREATE TABLE lag(id INTEGER PRIMARY KEY, v TEXT)")
			waitFor(b, 10*time.Second, "schema", func() bool { return nodes[1].rows(b, "SELECT count(*) FROM lag") != nil })
			lags := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				resp, err := nodes[0].eng.Exec(context.Background(), "main",
					[]engine.Statement{{SQL: "INSERT INTO lag(v) VALUES ('x')"}}, engine.ExecOptions{Consistency: level})
				if err != nil {
					b.Fatal(err)
				}
				id := resp.Results[0].LastInsertID
				start := time.Now()
				for {
					rows, err := nodes[1].eng.Query(context.Background(), "main", engine.Statement{SQL: "SELECT 1 FROM lag WHERE id = ?",
						Params: engine.Params{Positional: []engine.Value{id}}}, engine.QueryOptions{})
					if err == nil && len(rows.Rows) == 1 {
						break
					}
					if time.Since(start) > 10*time.Second {
						b.Fatalf("row %d never arrived", id)
					}
					time.Sleep(50 * time.Microsecond)
				}
				lags = append(lags, time.Since(start))
			}
			b.StopTimer()
			sort.Slice(lags, func(i, j int) bool { return lags[i] < lags[j] })
			b.ReportMetric(float64(lags[len(lags)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lags[len(lags)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
