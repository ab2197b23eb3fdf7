package e2e

import (
	"context"
	"encoding/json"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
)

// fakeKafka is franz-go's in-process fake Kafka broker (kfake: no Kafka
// broker package is available here) on loopback, which a test stops and
// starts again on the same port and data directory.
type fakeKafka struct {
	t    *testing.T
	port int
	dir  string
	c    *kfake.Cluster
}

func startKafka(t *testing.T) *fakeKafka {
	k := &fakeKafka{t: t, dir: t.TempDir()}
	k.start()
	_, port, _ := net.SplitHostPort(k.c.ListenAddrs()[0])
	k.port, _ = strconv.Atoi(port)
	t.Cleanup(k.stop)
	return k
}

func (k *fakeKafka) start() {
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.Ports(k.port), kfake.DataDir(k.dir))
	if err != nil {
		k.t.Fatal(err)
	}
	k.c = c
}

func (k *fakeKafka) stop() {
	if k.c != nil {
		k.c.Close()
		k.c = nil
	}
}

func (k *fakeKafka) addr() string { return "127.0.0.1:" + strconv.Itoa(k.port) }

// kafkaRow is a record of topic warren.main.t.
type kafkaRow struct {
	key, changeID, envChangeID, row string
}

// waitKafkaRows reads topic warren.main.t from its start until it holds
// want distinct changes (by warren-change-id), and returns every record.
func waitKafkaRows(t *testing.T, k *fakeKafka, want int) []kafkaRow {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(k.addr()), kgo.ConsumeTopics("warren.main.t"),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchMaxWait(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out []kafkaRow
	seen := map[string]bool{}
	for len(seen) < want && ctx.Err() == nil {
		cl.PollFetches(ctx).EachRecord(func(r *kgo.Record) {
			var env struct {
				After  map[string]json.Number `json:"after"`
				Source struct {
					ChangeID string `json:"change_id"`
				} `json:"source"`
			}
			if err := json.Unmarshal(r.Value, &env); err != nil {
				t.Errorf("record %d: %v", r.Offset, err)
			}
			row := kafkaRow{key: string(r.Key), envChangeID: env.Source.ChangeID, row: env.After["id"].String()}
			for _, h := range r.Headers {
				if h.Key == "warren-change-id" {
					row.changeID = string(h.Value)
				}
			}
			seen[row.changeID] = true
			out = append(out, row)
		})
	}
	if len(seen) < want {
		t.Fatalf("topic warren.main.t holds %d distinct changes, want %d", len(seen), want)
	}
	return out
}

// checkDedupedInOrder checks that rows, deduplicated on warren-change-id
// as a consumer does, are rows 0..want-1 of t in commit order, keyed by id.
func checkDedupedInOrder(t *testing.T, rows []kafkaRow, want int) {
	t.Helper()
	seen := map[string]bool{}
	next := 0
	for i, r := range rows {
		if r.changeID == "" || r.changeID != r.envChangeID || r.key != `{"id":`+r.row+`}` {
			t.Fatalf("record %d: header change id %q, envelope %q, key %s, row %s", i, r.changeID, r.envChangeID, r.key, r.row)
		}
		if seen[r.changeID] {
			continue
		}
		seen[r.changeID] = true
		if r.row != strconv.Itoa(next) {
			t.Fatalf("record %d is row %s, want row %d: lost or out of order", i, r.row, next)
		}
		next++
	}
	if next != want {
		t.Fatalf("%d distinct rows, want %d", next, want)
	}
}

func TestKafka_WritesArriveAcrossBrokerAndNodeRestarts(t *testing.T) {
	k := startKafka(t)
	n := startNode(t, "--cdc-kafka-brokers", k.addr(), "--cdc-kafka-create-topics")
	n.exec("CREATE TABLE t(id INTEGER PRIMARY KEY)")

	n.insertRange(0, 50)
	checkDedupedInOrder(t, waitKafkaRows(t, k, 50), 50)
	if m := n.metrics(); !strings.Contains(m, `warren_cdc_kafka_published_total{db="main"} 50`) {
		t.Errorf("metrics after 50 writes:\n%s", m)
	}

	k.stop() // the broker goes away in the middle of the load
	if slowest := n.insertRange(50, 120); slowest > 2*time.Second {
		t.Errorf("a write took %v while the broker was down: writes must not wait for it", slowest)
	}
	if m := n.metrics(); strings.Contains(m, `warren_cdc_kafka_lag_events{db="main"} 0`) {
		t.Errorf("no lag while the broker is down:\n%s", m)
	}
	k.start() // same port, same data
	n.insertRange(120, 150)
	n.kill() // while the last writes may still be in flight
	n.start()
	n.insertRange(150, 200)

	checkDedupedInOrder(t, waitKafkaRows(t, k, 200), 200)
}
