package replication

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/warren-db/warren/engine"
)

const pullPage = 500

// antiEntropyRound merges the catalog and the registry with a random peer
// and pulls, for every database, what this node lacks from that peer,
// whoever originated it.
func (n *Node) antiEntropyRound(ctx context.Context) {
	peers := n.peers()
	if len(peers) == 0 {
		return
	}
	p := peers[rand.IntN(len(peers))]
	var st statusResp
	if err := n.call(ctx, p, kindStatus, struct{}{}, &st); err != nil {
		n.log.Debug("anti-entropy status", "peer", p.NodeID, "err", err)
		return
	}
	if changed, err := n.eng.MergeCatalog(st.Catalog); err != nil {
		n.log.Warn("merge database catalog", "peer", p.NodeID, "err", err)
	} else if len(changed) > 0 {
		n.log.Info("database catalog merged", "peer", p.NodeID, "databases", changed)
	}
	if changed, err := n.eng.MergeRegistry(st.Registry); err != nil {
		n.log.Warn("merge registry", "peer", p.NodeID, "err", err)
	} else if len(changed) > 0 {
		n.log.Info("registry merged", "peer", p.NodeID, "kinds", changed)
	}
	for db, remote := range st.Databases {
		local, err := n.eng.Vector(db)
		if err != nil || local.Covers(remote.Vector) {
			continue
		}
		if err := n.pullFrom(ctx, p, db); err != nil {
			n.log.Debug("anti-entropy pull", "peer", p.NodeID, "db", db, "err", err)
		}
	}
}

// pullFrom applies the sets p has and this node lacks, page by page; when p
// says this node is too far behind, it installs a snapshot from p instead.
func (n *Node) pullFrom(ctx context.Context, p Member, db string) error {
	for page := 0; page < 20; page++ {
		v, err := n.eng.Vector(db)
		if err != nil {
			return err
		}
		var resp pullResp
		if err := n.call(ctx, p, kindPull, pullReq{DB: db, Vector: v, Limit: pullPage}, &resp); err != nil {
			return err
		}
		if resp.Snapshot != "" {
			return n.fetchSnapshot(ctx, p, db, resp.Snapshot)
		}
		if err := n.eng.ApplyBatch(ctx, db, resp.Sets); err != nil {
			return fmt.Errorf("apply pulled sets: %w", err)
		}
		if !resp.More {
			return nil
		}
	}
	return nil
}

// onPull answers a peer's anti-entropy request.
func (n *Node) onPull(ctx context.Context, from string, req []byte) ([]byte, error) {
	var m pullReq
	if err := decode(req, &m); err != nil {
		return nil, err
	}
	if m.Limit <= 0 || m.Limit > pullPage {
		m.Limit = pullPage
	}
	if why, err := n.needsSnapshot(ctx, m.DB, m.Vector); err != nil || why != "" {
		return encode(pullResp{Snapshot: why}), err
	}
	sets, err := n.eng.ChangesSince(ctx, m.DB, m.Vector, m.Limit)
	if err != nil || len(sets) == 0 {
		return encode(pullResp{}), err
	}
	page := chunkSets(n.filterSets(m.DB, sets), n.cfg.MessageBytes)[0] // the rest comes with the next pull
	return encode(pullResp{Sets: page, More: len(page) < len(sets) || len(sets) == m.Limit}), nil
}

// needsSnapshot tells why a peer with vector v cannot catch up from this
// node's log: it is new, it is behind what GC trimmed, or what it lacks is
// older than the delta-sync threshold. "" means a delta will do.
func (n *Node) needsSnapshot(ctx context.Context, db string, v engine.Vector) (string, error) {
	mine, err := n.eng.Vector(db)
	if err != nil {
		return "", err
	}
	if len(v) == 0 && len(mine) > 0 {
		return "new node", nil
	}
	floor, err := n.eng.LogFloor(ctx, db)
	if err != nil {
		return "", err
	}
	for origin, seq := range floor {
		if v[origin] < seq {
			return fmt.Sprintf("behind the retained log of %s (%d < %d)", origin, v[origin], seq), nil
		}
	}
	first, err := n.eng.ChangesSince(ctx, db, v, 1)
	if err != nil || len(first) == 0 {
		return "", err
	}
	if age := time.Since(first[0].HLC.Wall()); age > n.cfg.DeltaSyncThreshold {
		return fmt.Sprintf("behind by %s, beyond the delta-sync threshold", age.Round(time.Second)), nil
	}
	return "", nil
}
