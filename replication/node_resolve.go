package replication

import (
	"context"
	"time"

	"github.com/warren-db/warren/engine"
)

// The recovery rule for a coordinator that dies between the phases: a
// staged set is committed iff its origin committed it. A participant that
// has held a staged set longer than ResolveAfter (well past the prepare
// timeout, after which the origin has either committed or rolled back) asks
// the origin: the same (seq, hlc) in its log → apply; the sequence taken by
// another HLC, or absent → drop (the origin rolled it back or died before
// committing, and will reuse the sequence). An unreachable origin leaves the
// set staged until it answers; anti-entropy may also deliver the committed
// set from any peer, which drops the staged copy.
func (n *Node) resolveRound(ctx context.Context) {
	cutoff := time.Now().Add(-n.cfg.ResolveAfter)
	for _, d := range n.eng.Databases() {
		staged, err := n.eng.Staged(ctx, d.Name, cutoff)
		if err != nil {
			continue
		}
		for _, s := range staged {
			n.resolveOne(ctx, d.Name, s.SetID)
		}
	}
}

func (n *Node) resolveOne(ctx context.Context, db string, id engine.SetID) {
	origin, ok := n.member(id.Origin)
	if !ok || origin.State != MemberAlive {
		return
	}
	var resp setStatusResp
	if err := n.call(ctx, origin, kindSetStatus, setStatusReq{DB: db, ID: id}, &resp); err != nil {
		return
	}
	var err error
	if resp.State == engine.SetCommitted {
		err = n.eng.CommitStaged(ctx, db, []engine.SetID{id})
	} else {
		err = n.eng.AbortStaged(ctx, db, []engine.SetID{id})
	}
	n.log.Info("resolved staged set from its origin", "db", db, "origin", id.Origin, "seq", id.Seq,
		"committed", resp.State == engine.SetCommitted, "err", err)
}
