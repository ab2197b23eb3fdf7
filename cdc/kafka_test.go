package cdc

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// kafkaChange is what a test reads back of a record.
type kafkaChange struct {
	Topic, Key, ChangeID, DB, Table string
	Partition                       int32
	Envelope                        struct {
		Op     string         `json:"op"`
		After  map[string]any `json:"after"`
		Source struct {
			ChangeID string `json:"change_id"`
			Pos      string `json:"pos"`
		} `json:"source"`
	}
}

func kafkaChanges(t *testing.T, recs []*kgo.Record) []kafkaChange {
	t.Helper()
	out := make([]kafkaChange, len(recs))
	for i, r := range recs {
		c := kafkaChange{Topic: r.Topic, Key: string(r.Key), Partition: r.Partition, ChangeID: header(r, KafkaHeaderChangeID),
			DB: header(r, KafkaHeaderDB), Table: header(r, KafkaHeaderTable)}
		if err := json.Unmarshal(r.Value, &c.Envelope); err != nil {
			t.Fatalf("record %d of %s: %v", r.Offset, r.Topic, err)
		}
		out[i] = c
	}
	return out
}

// dedupe keeps the first delivery of each change, as a consumer
// deduplicating on warren-change-id does.
func dedupe(cs []kafkaChange) []kafkaChange {
	seen := map[string]bool{}
	var out []kafkaChange
	for _, c := range cs {
		if !seen[c.ChangeID] {
			seen[c.ChangeID] = true
			out = append(out, c)
		}
	}
	return out
}

// wantRows checks that cs, deduplicated, are the inserts of ids
// from..to-1 of table, in commit order, with their identity in the header.
func wantRows(t *testing.T, cs []kafkaChange, table string, from, to int) {
	t.Helper()
	cs = dedupe(cs)
	if len(cs) != to-from {
		t.Fatalf("%s: %d distinct changes, want %d", table, len(cs), to-from)
	}
	for i, c := range cs {
		if got := fmt.Sprint(c.Envelope.After["id"]); got != fmt.Sprint(from+i) {
			t.Fatalf("%s: change %d is row %s, want row %d (lost or out of order)", table, i, got, from+i)
		}
		if c.ChangeID == "" || c.ChangeID != c.Envelope.Source.ChangeID || c.Table != table || c.DB != "main" {
			t.Fatalf("%s: change %d: headers change-id %q db %q table %q, envelope change_id %q",
				table, i, c.ChangeID, c.DB, c.Table, c.Envelope.Source.ChangeID)
		}
	}
}

func TestKafkaSink_TopicsKeysAndHeaders(t *testing.T) {
	k := startKafka(t)
	e := openEngine(t)
	f := NewFeed(e, Options{Cluster: "c1"})
	exec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY)", "CREATE TABLE u(a TEXT, b INTEGER, v TEXT, PRIMARY KEY(a, b))")
	cfg := testKafkaConfig(k)
	cfg.Partitions = 3
	p := startPublisher(t, f, newKafkaSink(t, cfg), testPublisherConfig(t))
	insertRows(t, e, "main", 0, 30)
	exec(t, e, "INSERT INTO u VALUES ('x', 1, 'first'), ('y', 2, 'other')")
	exec(t, e, "UPDATE u SET v = 'second' WHERE a = 'x'")
	waitFor(t, "the changes published", func() bool { return len(p.Stats()) == 1 && p.Stats()[0].Published == 33 })

	ts := kafkaChanges(t, consumeKafka(t, k, "warren.main.t", 30))
	byID := map[string]kafkaChange{}
	for _, c := range ts {
		byID[fmt.Sprint(c.Envelope.After["id"])] = c
	}
	for i := range 30 {
		c, ok := byID[fmt.Sprint(i)]
		if !ok {
			t.Fatalf("row %d missing from warren.main.t (%d records)", i, len(ts))
		}
		if c.Key != fmt.Sprintf(`{"id":%d}`, i) || c.Envelope.Op != "c" {
			t.Fatalf("row %d: key %s, op %q", i, c.Key, c.Envelope.Op)
		}
		if c.ChangeID == "" || c.ChangeID != c.Envelope.Source.ChangeID || c.DB != "main" || c.Table != "t" {
			t.Fatalf("row %d: headers %q %q %q, envelope change_id %q", i, c.ChangeID, c.DB, c.Table, c.Envelope.Source.ChangeID)
		}
	}
	us := kafkaChanges(t, consumeKafka(t, k, "warren.main.u", 3))
	var xs []string // the changes of key x, in its partition's order
	for _, c := range us {
		if c.Key == `{"a":"x","b":1}` {
			xs = append(xs, c.Envelope.Op+":"+fmt.Sprint(c.Envelope.After["v"]))
		}
	}
	if strings.Join(xs, ",") != "c:first,u:second" {
		t.Fatalf("changes of key x: %v (%d records in u)", xs, len(us))
	}

	adm := kadm.NewClient(kgoClient(t, k))
	topics, err := adm.ListTopics(t.Context(), "warren.main.t", "warren.main.u")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"warren.main.t", "warren.main.u"} {
		if n := len(topics[name].Partitions); n != 3 {
			t.Errorf("topic %s has %d partitions, want 3 (created by the sink)", name, n)
		}
	}
	if got := newKafkaSink(t, cfg).Topic("my db", "a.b>*"); got != "warren.my_db.a_b__" {
		t.Errorf("topic %q", got)
	}
}

func TestKafkaSink_FailedProducesAreRetriedUntilEveryChangeArrives(t *testing.T) {
	k := startKafka(t)
	var failing atomic.Bool
	var failed atomic.Int64
	k.c.ControlKey(int16(kmsg.Produce), func(req kmsg.Request) (kmsg.Response, error, bool) {
		k.c.KeepControl()
		if !failing.Load() {
			return nil, nil, false
		}
		failed.Add(1)
		return produceError(req, kerr.NotEnoughReplicas.Code), nil, true
	})
	e := openEngine(t)
	f := NewFeed(e, Options{})
	exec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY)", "CREATE TABLE u(id INTEGER PRIMARY KEY)")
	cfg := testPublisherConfig(t)
	cfg.BatchSize = 16
	p := startPublisher(t, f, newKafkaSink(t, testKafkaConfig(k)), cfg)
	both := func(from, to int) {
		for i := from; i < to; i++ {
			exec(t, e, fmt.Sprintf("INSERT INTO t VALUES (%d)", i), fmt.Sprintf("INSERT INTO u VALUES (%d)", i))
		}
	}
	both(0, 50)
	waitFor(t, "the first changes", func() bool { return p.Stats()[0].Published == 100 })
	failing.Store(true)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // writes never wait for the broker
		defer wg.Done()
		both(50, 150)
	}()
	waitFor(t, "a failed publish", func() bool { return p.Stats()[0].Failing })
	wg.Wait()
	failing.Store(false)
	waitFor(t, "lag 0", func() bool { st := p.Stats()[0]; return st.Lag == 0 && !st.Failing })
	if failed.Load() == 0 {
		t.Fatal("no produce request failed")
	}
	wantRows(t, kafkaChanges(t, consumeKafka(t, k, "warren.main.t", 150)), "t", 0, 150)
	wantRows(t, kafkaChanges(t, consumeKafka(t, k, "warren.main.u", 150)), "u", 0, 150)
}

func TestKafkaSink_EveryChangeArrivesAcrossBrokerRestart(t *testing.T) {
	k := startKafka(t)
	e := openEngine(t)
	f := NewFeed(e, Options{})
	exec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY)")
	cfg := testPublisherConfig(t)
	cfg.BatchSize = 16
	p := startPublisher(t, f, newKafkaSink(t, testKafkaConfig(k)), cfg)
	insertRows(t, e, "main", 0, 50)
	waitFor(t, "the first changes", func() bool { return p.Stats()[0].Published == 50 && p.Connected() })
	k.stop()
	waitFor(t, "the sink to notice", func() bool { return !p.Connected() })
	insertRows(t, e, "main", 50, 150)
	if st := p.Stats()[0]; st.Lag == 0 {
		t.Fatalf("lag %d with the broker down", st.Lag)
	}
	k.start(t)
	waitFor(t, "lag 0", func() bool { return p.Stats()[0].Lag == 0 && p.Connected() })
	wantRows(t, kafkaChanges(t, consumeKafka(t, k, "warren.main.t", 150)), "t", 0, 150)
}

func TestKafkaSink_WaitsForMissingTopic(t *testing.T) {
	k := startKafka(t)
	e := openEngine(t)
	f := NewFeed(e, Options{})
	exec(t, e, "CREATE TABLE t(id INTEGER PRIMARY KEY)")
	var logs syncBuffer
	cfg := testKafkaConfig(k)
	cfg.CreateTopics = false
	cfg.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	p := startPublisher(t, f, newKafkaSink(t, cfg), testPublisherConfig(t))
	insertRows(t, e, "main", 0, 5)
	waitFor(t, "the error", func() bool { return strings.Contains(logs.String(), "kafka topic missing") })
	if st := p.Stats()[0]; !st.Failing || st.Lag != 5 {
		t.Fatalf("stats %+v, want failing with lag 5", st)
	}
	if _, err := kadm.NewClient(kgoClient(t, k)).CreateTopic(t.Context(), 1, -1, nil, "warren.main.t"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "lag 0", func() bool { return p.Stats()[0].Lag == 0 })
	if c := strings.Count(logs.String(), "kafka topic missing"); c != 1 {
		t.Fatalf("missing topic logged %d times, want once:\n%s", c, logs.String())
	}
	wantRows(t, kafkaChanges(t, consumeKafka(t, k, "warren.main.t", 5)), "t", 0, 5)
}

func TestNewKafkaSink_RejectsBadConfig(t *testing.T) {
	for _, cfg := range []KafkaConfig{
		{},
		{Brokers: []string{"127.0.0.1:1"}, SASLMechanism: "gssapi"},
		{Brokers: []string{"127.0.0.1:1"}, TLSCA: "/nonexistent/ca.pem"},
	} {
		if s, err := NewKafkaSink(cfg); err == nil {
			s.Close()
			t.Errorf("NewKafkaSink(%+v) succeeded", cfg)
		}
	}
}

// produceError answers a produce request with code for every partition.
func produceError(req kmsg.Request, code int16) kmsg.Response {
	r := req.(*kmsg.ProduceRequest)
	resp := r.ResponseKind().(*kmsg.ProduceResponse)
	for _, t := range r.Topics {
		rt := kmsg.NewProduceResponseTopic()
		rt.Topic, rt.TopicID = t.Topic, t.TopicID
		for _, p := range t.Partitions {
			rp := kmsg.NewProduceResponseTopicPartition()
			rp.Partition, rp.ErrorCode = p.Partition, code
			rt.Partitions = append(rt.Partitions, rp)
		}
		resp.Topics = append(resp.Topics, rt)
	}
	return resp
}

// kgoClient is a plain client of k for a test's admin requests.
func kgoClient(t *testing.T, k *fakeKafka) *kgo.Client {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(k.brokers()...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return cl
}
