package replication

import (
	"context"

	"github.com/warren-db/warren/engine"
)

// gcRound trims each database's change log past what every live member has
// applied (after GCMinRetention), and anything older than GCMaxRetention.
// A member that is down does not hold GC back beyond the maximum; if it
// returns behind the trimmed log it bootstraps from a snapshot.
func (n *Node) gcRound(ctx context.Context) {
	statuses := []statusResp{n.localStatus(ctx)}
	for _, p := range n.peers() {
		var st statusResp
		if err := n.call(ctx, p, kindStatus, struct{}{}, &st); err != nil {
			return // a live member we cannot read: keep everything this round
		}
		statuses = append(statuses, st)
	}
	for _, d := range n.eng.Databases() {
		safe := safeVector(d.Name, statuses)
		res, err := n.eng.GC(ctx, d.Name, engine.GCOptions{Safe: safe,
			MinRetention: n.cfg.GCMinRetention, MaxRetention: n.cfg.GCMaxRetention})
		if err != nil {
			n.log.Warn("change-log GC", "db", d.Name, "err", err)
		} else if res.Sets+res.Tombstones+res.Staged > 0 {
			n.log.Info("change-log GC", "db", d.Name, "sets", res.Sets, "tombstones", res.Tombstones, "staged", res.Staged)
		}
	}
}

// safeVector is the element-wise minimum of every member's vector of db.
func safeVector(db string, statuses []statusResp) engine.Vector {
	var safe engine.Vector
	for _, st := range statuses {
		v := st.Databases[db].Vector
		if safe == nil {
			safe = v.Clone()
			continue
		}
		for origin, seq := range safe {
			safe[origin] = min(seq, v[origin])
		}
	}
	return safe
}
