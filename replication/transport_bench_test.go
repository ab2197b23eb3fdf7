package replication

import (
	"context"
	"testing"
)

// BenchmarkTransport_Call measures a small request/response round trip over
// one shared connection, from 8×GOMAXPROCS parallel callers.
func BenchmarkTransport_Call(b *testing.B) {
	client, server := newTestTransport(b, "client"), newTestTransport(b, "server")
	req := make([]byte, 64)
	ctx := context.Background()
	if _, err := client.Call(ctx, server.Addr(), KindPing, req); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := client.Call(ctx, server.Addr(), KindPing, req); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkTransport_CallSerial measures the latency of one call at a time.
func BenchmarkTransport_CallSerial(b *testing.B) {
	client, server := newTestTransport(b, "client"), newTestTransport(b, "server")
	req := make([]byte, 64)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := client.Call(ctx, server.Addr(), KindPing, req); err != nil {
			b.Fatal(err)
		}
	}
}
