package replication

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/warren-db/warren/engine"
)

// testNode is one in-process member: a real engine, QUIC transport, gossip
// membership and replication node on loopback, with short timers.
type testNode struct {
	id   string
	eng  *engine.Engine
	tr   *Transport
	mem  *Membership
	node *Node
	dir  string
}

type testClusterOpts struct {
	antiEntropy  time.Duration
	resolve      time.Duration
	maxFrame     int // the transport's largest message (0: its default)
	messageBytes int // change sets per message (0: the default)
	maxTxBytes   int // the engine's change-set limit (0: its default)
}

func startTestNode(t testing.TB, id string, slot int, join []string, o testClusterOpts, dir string) *testNode {
	t.Helper()
	quiet := testLogger(id)
	if dir == "" {
		dir = t.TempDir()
	}
	ecfg := engine.DefaultConfig()
	ecfg.DataDir, ecfg.NodeID, ecfg.Slot, ecfg.Logger = dir, id, slot, quiet
	ecfg.ReadConns, ecfg.PrepareTimeout = 2, 2*time.Second
	if o.maxTxBytes > 0 {
		ecfg.MaxChangeSetBytes = o.maxTxBytes
	}
	eng, err := engine.Open(ecfg)
	if err != nil {
		t.Fatal(err)
	}
	tcfg := LocalTransportConfig()
	tcfg.NodeID, tcfg.Secret, tcfg.Logger = id, "test-secret", quiet
	if o.maxFrame > 0 {
		tcfg.MaxFrame = o.maxFrame
	}
	tr, err := NewTransport(tcfg)
	if err != nil {
		t.Fatal(err)
	}
	mem, err := NewMembership(MembershipConfig{BindAddr: "127.0.0.1:0", Join: join, Secret: "test-secret",
		Meta: Meta{NodeID: id, Slot: slot, QUICAddr: tr.Addr(), Role: RoleVoter}, Fast: true, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	ncfg := DefaultNodeConfig()
	ncfg.Engine, ncfg.Transport, ncfg.Membership, ncfg.DataDir, ncfg.Logger = eng, tr, mem, dir, quiet
	ncfg.AntiEntropyInterval, ncfg.ResolveAfter, ncfg.CallTimeout = o.antiEntropy, o.resolve, 2*time.Second
	ncfg.GCInterval = time.Hour
	if o.messageBytes > 0 {
		ncfg.MessageBytes = o.messageBytes
	}
	n, err := NewNode(ncfg)
	if err != nil {
		t.Fatal(err)
	}
	n.Start()
	tn := &testNode{id: id, eng: eng, tr: tr, mem: mem, node: n, dir: dir}
	t.Cleanup(tn.stop)
	return tn
}

// stop shuts the node down without leaving: to the others it is dead.
func (tn *testNode) stop() {
	if tn.node == nil {
		return
	}
	tn.node.Close()
	tn.mem.Close()
	tn.tr.Close()
	tn.eng.Close()
	tn.node = nil
}

// testLogger discards logs unless WARREN_TEST_LOG is set.
func testLogger(id string) *slog.Logger {
	if os.Getenv("WARREN_TEST_LOG") == "" {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})).With("node", id)
}

func startCluster(t testing.TB, size int, o testClusterOpts) []*testNode {
	if o.antiEntropy == 0 {
		o.antiEntropy = 100 * time.Millisecond
	}
	if o.resolve == 0 {
		o.resolve = time.Second
	}
	nodes := []*testNode{startTestNode(t, "n1", 1, nil, o, "")}
	for i := 2; i <= size; i++ {
		nodes = append(nodes, startTestNode(t, fmt.Sprintf("n%d", i), i, []string{nodes[0].mem.GossipAddr()}, o, ""))
	}
	waitFor(t, 10*time.Second, "all members alive", func() bool {
		for _, n := range nodes {
			alive := 0
			for _, m := range n.mem.Members() {
				if m.State == MemberAlive {
					alive++
				}
			}
			if alive != size {
				return false
			}
		}
		return true
	})
	return nodes
}

func waitFor(t testing.TB, d time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (tn *testNode) exec(t testing.TB, c engine.Consistency, sql string, args ...any) (*engine.ExecResponse, error) {
	return tn.eng.Exec(context.Background(), "main", []engine.Statement{{SQL: sql, Params: engine.Params{Positional: args}}},
		engine.ExecOptions{Consistency: c})
}

func (tn *testNode) mustExec(t testing.TB, sql string, args ...any) *engine.ExecResponse {
	t.Helper()
	resp, err := tn.exec(t, engine.ConsistencyDefault, sql, args...)
	if err != nil {
		t.Fatalf("%s on %s: %v", sql, tn.id, err)
	}
	return resp
}

func (tn *testNode) rows(t testing.TB, sql string) [][]engine.Value {
	rows, err := tn.eng.Query(context.Background(), "main", engine.Statement{SQL: sql}, engine.QueryOptions{})
	if err != nil {
		return nil
	}
	return rows.Rows
}

// eventuallySame waits until every node holds the same change sets of main
// and answers sql identically, and returns the answer. Equal answers alone
// are not enough: two nodes each missing a different write still count the
// same number of rows.
func eventuallySame(t testing.TB, nodes []*testNode, sql string) [][]engine.Value {
	t.Helper()
	var want [][]engine.Value
	waitFor(t, 15*time.Second, "convergence of "+sql, func() bool {
		vector, err := nodes[0].eng.Vector("main")
		if err != nil {
			return false
		}
		want = nodes[0].rows(t, sql)
		for _, n := range nodes[1:] {
			if v, err := n.eng.Vector("main"); err != nil || !reflect.DeepEqual(v, vector) || !reflect.DeepEqual(n.rows(t, sql), want) {
				return false
			}
		}
		return want != nil
	})
	return want
}

func TestCluster_WritesOnEveryNodeConverge(t *testing.T) {
	nodes := startCluster(t, 3, testClusterOpts{})
	nodes[0].mustExec(t, "CREATE TABLE t(id INTEGER PRIMARY KEY, node TEXT, n INTEGER)")
	eventuallySame(t, nodes, "SELECT count(*) FROM sqlite_schema WHERE name = 't'")
	for i := range 10 {
		for _, n := range nodes {
			c := []engine.Consistency{engine.ConsistencyOne, engine.ConsistencyQuorum, engine.ConsistencyAll}[i%3]
			if _, err := n.exec(t, c, "INSERT INTO t(node, n) VALUES (?, ?)", n.id, int64(i)); err != nil {
				t.Fatalf("insert on %s at %d: %v", n.id, c, err)
			}
		}
	}
	got := eventuallySame(t, nodes, "SELECT id, node, n FROM t ORDER BY id")
	if len(got) != 30 {
		t.Fatalf("rows %d", len(got))
	}
	for _, r := range got {
		id, node := r[0].(int64), r[1].(string)
		if want := int64(node[1] - '0'); id%32 != want {
			t.Fatalf("id %d minted by %s is not in its slot", id, node)
		}
	}
}

func TestCluster_QuorumWithOneDownAndTwoDown(t *testing.T) {
	nodes := startCluster(t, 3, testClusterOpts{})
	nodes[0].mustExec(t, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
	eventuallySame(t, nodes, "SELECT count(*) FROM sqlite_schema WHERE name = 't'")
	nodes[2].stop()
	if _, err := nodes[0].exec(t, engine.ConsistencyQuorum, "INSERT INTO t(v) VALUES ('with one down')"); err != nil {
		t.Fatalf("quorum with one of three down: %v", err)
	}
	if _, err := nodes[0].exec(t, engine.ConsistencyAll, "INSERT INTO t(v) VALUES ('all')"); engine.ErrorCode(err) != engine.CodeUnavailable {
		t.Fatalf("ALL with one down: %v", err)
	}
	nodes[1].stop()
	_, err := nodes[0].exec(t, engine.ConsistencyQuorum, "INSERT INTO t(v) VALUES ('lost')")
	if engine.ErrorCode(err) != engine.CodeUnavailable {
		t.Fatalf("quorum with two of three down: %v", err)
	}
	if got := nodes[0].rows(t, "SELECT v FROM t ORDER BY id"); len(got) != 1 || got[0][0] != "with one down" {
		t.Fatalf("failed writes left rows: %v", got)
	}
	if _, err := nodes[0].exec(t, engine.ConsistencyOne, "INSERT INTO t(v) VALUES ('one')"); err != nil {
		t.Fatalf("ONE with two down: %v", err)
	}
}

func TestCluster_PartitionHeals(t *testing.T) {
	nodes := startCluster(t, 3, testClusterOpts{})
	nodes[0].mustExec(t, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
	eventuallySame(t, nodes, "SELECT count(*) FROM sqlite_schema WHERE name = 't'")
	// n3 is cut off from n1 and n2, both ways.
	nodes[2].tr.Partition("n1", "n2")
	nodes[0].tr.Partition("n3")
	nodes[1].tr.Partition("n3")
	for i := range 5 {
		nodes[i%2].mustExec(t, "INSERT INTO t(v) VALUES (?)", fmt.Sprint("majority ", i))
		if _, err := nodes[2].exec(t, engine.ConsistencyOne, "INSERT INTO t(v) VALUES (?)", fmt.Sprint("minority ", i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := nodes[2].exec(t, engine.ConsistencyQuorum, "INSERT INTO t(v) VALUES ('no quorum')"); engine.ErrorCode(err) != engine.CodeUnavailable {
		t.Fatalf("minority side reached quorum: %v", err)
	}
	for _, n := range nodes {
		n.tr.Heal()
	}
	got := eventuallySame(t, nodes, "SELECT id, v FROM t ORDER BY id")
	if len(got) != 10 {
		t.Fatalf("rows after heal: %v", got)
	}
}

func TestCluster_ConcurrentUpdatesOfOneRow(t *testing.T) {
	nodes := startCluster(t, 3, testClusterOpts{})
	nodes[0].mustExec(t, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, u TEXT UNIQUE)")
	nodes[0].mustExec(t, "INSERT INTO t(id, v) VALUES (1, 'start')")
	waitFor(t, 10*time.Second, "the first row everywhere", func() bool {
		for _, n := range nodes {
			if len(n.rows(t, "SELECT v FROM t")) != 1 {
				return false
			}
		}
		return true
	})
	done := make(chan error, 2)
	for _, n := range nodes[:2] {
		go func() {
			for i := range 20 {
				if _, err := n.exec(t, engine.ConsistencyOne, "UPDATE t SET v = ? WHERE id = 1", fmt.Sprint(n.id, i)); err != nil {
					done <- err
					return
				}
				n.exec(t, engine.ConsistencyOne, "INSERT INTO t(id, v, u) VALUES (?, 'dup', 'same') ON CONFLICT DO NOTHING", int64(100+i))
			}
			done <- nil
		}()
	}
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	got := eventuallySame(t, nodes, "SELECT id, v, u FROM t ORDER BY id")
	if len(got) < 2 {
		t.Fatalf("rows %v", got)
	}
}

func TestCluster_ConcurrentDDL(t *testing.T) {
	nodes := startCluster(t, 3, testClusterOpts{})
	errs := make(chan error, 2)
	for i, n := range nodes[:2] {
		go func() {
			_, err := n.exec(t, engine.ConsistencyDefault, fmt.Sprintf("CREATE TABLE t%d(id INTEGER PRIMARY KEY)", i))
			errs <- err
		}()
	}
	ok := 0
	for range 2 {
		err := <-errs
		switch engine.ErrorCode(err) {
		case engine.CodeBusy, engine.CodeUnavailable:
		default:
			if err != nil {
				t.Fatalf("concurrent DDL: %v", err)
			}
			ok++
		}
	}
	if ok == 0 {
		t.Fatal("neither DDL proceeded")
	}
	// Retrying the loser succeeds; every node ends with the same schema.
	for i, n := range nodes[:2] {
		name := fmt.Sprintf("t%d", i)
		waitFor(t, 10*time.Second, "DDL retry", func() bool {
			_, err := n.exec(t, engine.ConsistencyDefault, "CREATE TABLE IF NOT EXISTS "+name+"(id INTEGER PRIMARY KEY)")
			return err == nil
		})
	}
	eventuallySame(t, nodes, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 't_' ORDER BY name")
}

func TestCluster_WrongSecretCannotJoinOrPush(t *testing.T) {
	nodes := startCluster(t, 2, testClusterOpts{})
	quiet := slog.New(slog.DiscardHandler)
	tcfg := LocalTransportConfig()
	tcfg.NodeID, tcfg.Secret, tcfg.Logger = "intruder", "wrong-secret", quiet
	tr, err := NewTransport(tcfg)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	push := encode(setsMsg{DB: "main", Sets: []*engine.ChangeSet{{Origin: "intruder", Seq: 1, HLC: 1}}})
	if _, err := tr.Call(ctx, nodes[0].tr.Addr(), kindPush, push); err == nil {
		t.Fatal("a peer with the wrong secret pushed a change set")
	}
	if v, _ := nodes[0].eng.Vector("main"); v["intruder"] != 0 {
		t.Fatal("the intruder's change set was applied")
	}
	_, err = NewMembership(MembershipConfig{BindAddr: "127.0.0.1:0", Join: []string{nodes[0].mem.GossipAddr()},
		Secret: "wrong-secret", Meta: Meta{NodeID: "intruder"}, Fast: true, Logger: quiet, JoinTimeout: time.Second})
	for _, m := range nodes[0].mem.Members() {
		if m.NodeID == "intruder" {
			t.Fatalf("intruder joined (err %v)", err)
		}
	}
}

// A client that creates a table on one node and writes to it on another
// right away finds it there: DDL answers once the peers applied it.
func TestCluster_DDLIsInPlaceOnPeersWhenItAnswers(t *testing.T) {
	nodes := startCluster(t, 3, testClusterOpts{})
	for i := range 20 {
		nodes[i%3].mustExec(t, fmt.Sprintf("CREATE TABLE t%d(id INTEGER PRIMARY KEY, v TEXT)", i))
		for _, n := range nodes {
			if _, err := n.exec(t, engine.ConsistencyOne, fmt.Sprintf("INSERT INTO t%d(v) VALUES (?)", i), n.id); err != nil {
				t.Fatalf("write right after CREATE TABLE t%d on n%d: %v", i, i%3+1, err)
			}
		}
	}
	eventuallySame(t, nodes, "SELECT count(*) FROM t19")
}

// The same when a peer beyond the quorum stages slowly: the COMMIT, on
// another lane, would reach it before the prepare, and a peer answers such
// an early COMMIT at once, before it has the set to apply. A schema change
// waits for every reachable peer's prepare (within the prepare timeout).
func TestCluster_DDLIsInPlaceOnASlowStager(t *testing.T) {
	nodes := startCluster(t, 3, testClusterOpts{})
	slow := nodes[2]
	slow.tr.Handle(kindPrepare, func(ctx context.Context, from string, req []byte) ([]byte, error) {
		time.Sleep(300 * time.Millisecond)
		return slow.node.onPrepare(ctx, from, req)
	})
	for i := range 3 {
		nodes[0].mustExec(t, fmt.Sprintf("CREATE TABLE t%d(id INTEGER PRIMARY KEY, v TEXT)", i))
		if _, err := slow.exec(t, engine.ConsistencyOne, fmt.Sprintf("INSERT INTO t%d(v) VALUES ('x')", i)); err != nil {
			t.Fatalf("write on n3 right after CREATE TABLE t%d on n1: %v", i, err)
		}
	}
}

// A migration that goes on through another node right after a schema
// change answered finds the lease still held while its release travels:
// the next node waits for it instead of failing with busy.
func TestCluster_NextDDLOnAnotherNodeWaitsForTheLease(t *testing.T) {
	nodes := startCluster(t, 3, testClusterOpts{})
	for _, n := range nodes[1:] {
		n.tr.Handle(kindLock, func(ctx context.Context, from string, req []byte) ([]byte, error) {
			var m lockReq
			if err := decode(req, &m); err == nil && m.Release {
				time.Sleep(200 * time.Millisecond) // the release is slow to arrive
			}
			return n.node.onLock(ctx, from, req)
		})
	}
	for i := range 4 {
		nodes[i%2].mustExec(t, fmt.Sprintf("CREATE TABLE t%d(id INTEGER PRIMARY KEY)", i))
	}
}

func TestCluster_QuorumReadCatchesUp(t *testing.T) {
	nodes := startCluster(t, 3, testClusterOpts{antiEntropy: time.Hour})
	nodes[0].mustExec(t, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
	// n3 misses the commit of a write n1 and n2 have.
	nodes[2].tr.Partition("n1")
	nodes[0].tr.Partition("n3")
	if _, err := nodes[0].exec(t, engine.ConsistencyQuorum, "INSERT INTO t(id, v) VALUES (1, 'x')"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "n2 applied", func() bool { return len(nodes[1].rows(t, "SELECT * FROM t")) == 1 })
	rows, err := nodes[2].eng.Query(context.Background(), "main", engine.Statement{SQL: "SELECT v FROM t"},
		engine.QueryOptions{Consistency: engine.ReadQuorum})
	if err != nil || len(rows.Rows) != 1 {
		t.Fatalf("quorum read on a lagging node: %v %v", rows, err)
	}
}

func TestCluster_NewNodeBootstrapsFromSnapshotAfterGC(t *testing.T) {
	nodes := startCluster(t, 2, testClusterOpts{})
	nodes[0].mustExec(t, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
	for i := range 50 {
		nodes[i%2].mustExec(t, "INSERT INTO t(v) VALUES (?)", fmt.Sprint("row ", i))
	}
	eventuallySame(t, nodes, "SELECT count(*) FROM t")
	for _, n := range nodes { // everyone has everything: trim all but the newest set
		safe, _ := n.eng.Vector("main")
		if _, err := n.eng.GC(context.Background(), "main", engine.GCOptions{Safe: safe, MaxRetention: time.Hour}); err != nil {
			t.Fatal(err)
		}
	}
	late := startTestNode(t, "n3", 3, []string{nodes[0].mem.GossipAddr()}, testClusterOpts{antiEntropy: 100 * time.Millisecond, resolve: time.Second}, "")
	all := append(nodes, late)
	got := eventuallySame(t, all, "SELECT count(*), group_concat(v) FROM (SELECT v FROM t ORDER BY id)")
	if got[0][0] != int64(50) {
		t.Fatalf("rows on the late node: %v", got)
	}
	late.mustExec(t, "INSERT INTO t(v) VALUES ('from the late node')")
	eventuallySame(t, all, "SELECT count(*) FROM t")
}

// Every node coordinates QUORUM writes at once: participants must stage
// while their own writer waits for acks (no distributed deadlock).
func TestCluster_ConcurrentQuorumWritesOnAllNodes(t *testing.T) {
	nodes := startCluster(t, 3, testClusterOpts{})
	nodes[0].mustExec(t, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
	eventuallySame(t, nodes, "SELECT count(*) FROM sqlite_schema WHERE name = 't'")
	errs := make(chan error, len(nodes))
	for _, n := range nodes {
		go func() {
			for i := range 30 {
				if _, err := n.exec(t, engine.ConsistencyQuorum, "INSERT INTO t(v) VALUES (?)", fmt.Sprint(n.id, i)); err != nil {
					errs <- fmt.Errorf("%s write %d: %w", n.id, i, err)
					return
				}
			}
			errs <- nil
		}()
	}
	for range nodes {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if got := eventuallySame(t, nodes, "SELECT count(*) FROM t"); got[0][0] != int64(90) {
		t.Fatalf("rows %v", got)
	}
}
