package replication

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/warren-db/warren/engine"
)

// leaseTable holds the schema leases this node granted, per database.
type leaseTable struct {
	mu     sync.Mutex
	leases map[string]lease
}

type lease struct {
	holder  string
	expires time.Time
}

func newLeaseTable() *leaseTable { return &leaseTable{leases: map[string]lease{}} }

// grant gives db's lease to holder if it is free, expired or already theirs.
func (t *leaseTable) grant(db, holder string, d time.Duration) (bool, string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	cur, ok := t.leases[db]
	if ok && cur.holder != holder && time.Now().Before(cur.expires) {
		return false, cur.holder
	}
	t.leases[db] = lease{holder: holder, expires: time.Now().Add(d)}
	return true, holder
}

func (t *leaseTable) release(db, holder string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.leases[db].holder == holder {
		delete(t.leases, db)
	}
}

func (n *Node) onLock(ctx context.Context, from string, req []byte) ([]byte, error) {
	var m lockReq
	if err := decode(req, &m); err != nil {
		return nil, err
	}
	if m.Release {
		n.locks.release(m.DB, m.Holder)
		return encode(lockResp{}), nil
	}
	ok, holder := n.locks.grant(m.DB, m.Holder, m.Lease)
	return encode(lockResp{Granted: ok, Holder: holder, SchemaVersion: n.eng.SchemaVersion(m.DB)}), nil
}

// LockSchema takes db's schema lease from a majority of voters before this
// node runs DDL, so that DDL is issued by one node at a time and in order.
// While another node holds the lease it waits for it, until ctx ends: a
// holder gives the lease back right after its DDL committed, but the
// release may still be on its way, so a migration that goes on through
// another node would otherwise find it still held. It fails with a
// retryable error when ctx ends first, or at once when a voter has newer
// schema than this node (which then catches up first). The returned release
// gives the lease back.
func (n *Node) LockSchema(ctx context.Context, db string) (func(), error) {
	for wait := 5 * time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		release, held, err := n.tryLockSchema(ctx, db)
		if !held {
			return release, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(wait + rand.N(wait)): // apart from another waiter
		}
	}
}

// tryLockSchema asks every voter once; held reports that another node holds
// the lease.
func (n *Node) tryLockSchema(ctx context.Context, db string) (release func(), held bool, err error) {
	need, _, voters := n.acksNeeded(engine.ConsistencyQuorum)
	req := lockReq{DB: db, Holder: n.self, Lease: n.cfg.SchemaLease}
	granted, mine := 0, n.eng.SchemaVersion(db)
	var newer int64
	var other string
	for _, v := range voters {
		resp, err := n.lockOne(ctx, v, req)
		if err != nil {
			continue
		}
		if resp.Granted {
			granted++
			newer = max(newer, resp.SchemaVersion)
		} else {
			other = resp.Holder
		}
	}
	release = func() { n.releaseSchema(db) }
	switch {
	case granted < need && other != "":
		release()
		return nil, true, engine.Errorf(engine.CodeBusy, "node %s is changing the schema of %s: retry in a moment", other, db)
	case granted < need:
		release()
		return nil, false, engine.Errorf(engine.CodeUnavailable, "schema lock of %s needs %d voters, %d answered: retry", db, need, granted)
	case newer > mine:
		release()
		n.wakeAntiEntropy()
		return nil, false, engine.Errorf(engine.CodeBusy, "this node is catching up with schema version %d of %s (has %d): retry in a moment", newer, db, mine)
	}
	return release, false, nil
}

func (n *Node) lockOne(ctx context.Context, m Member, req lockReq) (lockResp, error) {
	if m.NodeID == n.self {
		ok, holder := n.locks.grant(req.DB, req.Holder, req.Lease)
		return lockResp{Granted: ok, Holder: holder, SchemaVersion: n.eng.SchemaVersion(req.DB)}, nil
	}
	if m.State != MemberAlive && m.State != MemberSuspect {
		return lockResp{}, context.Canceled
	}
	var resp lockResp
	err := n.call(ctx, m, kindLock, req, &resp)
	return resp, err
}

// releaseSchema gives the lease back on every voter (best effort: leases expire).
func (n *Node) releaseSchema(db string) {
	req := lockReq{DB: db, Holder: n.self, Release: true}
	n.locks.release(db, n.self)
	for _, p := range n.peers() {
		n.lane(p.NodeID, laneLease).send(kindLock, nil, encode(req))
	}
}

// wakeAntiEntropy runs an anti-entropy round now.
func (n *Node) wakeAntiEntropy() {
	go n.antiEntropyRound(n.ctx)
}
