package replication

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/warren-db/warren/engine"
)

// NodeConfig configures the replication of one node.
type NodeConfig struct {
	Engine     *engine.Engine
	Transport  *Transport
	Membership *Membership
	DataDir    string // where incoming snapshots are written before install

	// AntiEntropyInterval is how often each database exchanges vectors with a random peer.
	AntiEntropyInterval time.Duration
	// ResolveAfter is the age at which a staged set whose outcome never
	// arrived is resolved from its origin's log. It must exceed the engine's
	// prepare timeout.
	ResolveAfter time.Duration
	// DeltaSyncThreshold: a peer missing changes older than this gets a snapshot.
	DeltaSyncThreshold time.Duration
	// GCInterval, GCMinRetention, GCMaxRetention drive change-log GC.
	GCInterval, GCMinRetention, GCMaxRetention time.Duration
	// SchemaLease is how long the schema lock of a database lasts unless released.
	SchemaLease time.Duration
	// CallTimeout bounds one peer call that has no other deadline.
	CallTimeout time.Duration
	// MessageBytes bounds the change sets in one message (node_chunk.go);
	// it must stay well under the transport's MaxFrame.
	MessageBytes int
	// Filters selects, per database, which tables replicate (nil: all).
	Filters map[string]*TableFilter
	Logger  *slog.Logger
}

// DefaultNodeConfig returns production timers.
func DefaultNodeConfig() NodeConfig {
	return NodeConfig{
		AntiEntropyInterval: time.Second,
		ResolveAfter:        15 * time.Second,
		DeltaSyncThreshold:  6 * time.Hour,
		GCInterval:          time.Minute,
		GCMinRetention:      24 * time.Hour,
		GCMaxRetention:      7 * 24 * time.Hour,
		SchemaLease:         30 * time.Second,
		CallTimeout:         5 * time.Second,
		MessageBytes:        16 << 20,
	}
}

// Node replicates the engine's databases to and from its peers. It
// implements engine.Replicator.
type Node struct {
	cfg   NodeConfig
	eng   *engine.Engine
	tr    *Transport
	mem   *Membership
	log   *slog.Logger
	self  string
	locks *leaseTable

	sendMu  sync.Mutex
	senders map[laneKey]*sender

	syncing sync.Map // db name -> struct{}: a snapshot install is running
	status  statusCache
	known   *knownMembers

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

var _ engine.Replicator = (*Node)(nil)

// NewNode registers the protocol handlers on the transport. Start begins
// the background loops; the engine is not told about the node until then.
func NewNode(cfg NodeConfig) (*Node, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	known, err := loadKnown(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := &Node{known: known, cfg: cfg, eng: cfg.Engine, tr: cfg.Transport, mem: cfg.Membership,
		log: cfg.Logger, self: cfg.Engine.NodeID(),
		locks: newLeaseTable(), senders: map[laneKey]*sender{}, ctx: ctx, cancel: cancel}
	n.registerHandlers()
	return n, nil
}

// Start installs the node as the engine's replicator and starts anti-entropy,
// staged-set resolution and GC.
func (n *Node) Start() {
	n.eng.SetReplicator(n)
	n.loop(n.cfg.AntiEntropyInterval, n.antiEntropyRound)
	n.loop(n.cfg.ResolveAfter/3, n.resolveRound)
	n.loop(n.cfg.GCInterval, n.gcRound)
	n.loop(n.cfg.AntiEntropyInterval, n.statusRound)
	n.wg.Add(1)
	go n.watchMembers()
}

// Close stops the loops and the senders; the engine is detached first.
func (n *Node) Close() error {
	n.eng.SetReplicator(nil)
	n.cancel()
	n.wg.Wait()
	n.sendMu.Lock()
	for _, s := range n.senders {
		s.close()
	}
	n.sendMu.Unlock()
	return nil
}

// loop runs fn every interval (with jitter) until Close.
func (n *Node) loop(interval time.Duration, fn func(ctx context.Context)) {
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		for {
			jitter := time.Duration(rand.Int64N(int64(interval)/4 + 1))
			select {
			case <-n.ctx.Done():
				return
			case <-time.After(interval + jitter):
			}
			fn(n.ctx)
		}
	}()
}

// peers returns the other members that can be reached now.
func (n *Node) peers() []Member {
	var out []Member
	for _, m := range n.mem.Members() {
		if m.NodeID != n.self && m.QUICAddr != "" && (m.State == MemberAlive || m.State == MemberSuspect) {
			out = append(out, m)
		}
	}
	return out
}

// member returns the member with node id, if known.
func (n *Node) member(id string) (Member, bool) {
	for _, m := range n.mem.Members() {
		if m.NodeID == id {
			return m, true
		}
	}
	return Member{}, false
}

// call sends one request with the node's default timeout when ctx has none.
func (n *Node) call(ctx context.Context, m Member, kind Kind, req any, resp any) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, n.cfg.CallTimeout)
		defer cancel()
	}
	out, err := n.tr.Call(ctx, m.QUICAddr, kind, encode(req))
	if err != nil || resp == nil {
		return err
	}
	return decode(out, resp)
}
