package replication

import (
	"context"
	"fmt"

	"github.com/warren-db/warren/engine"
)

// CatchUp returns once this node has applied everything a majority of
// voters (itself included) had applied of db when it asked: it reads their
// vectors, pulls what it lacks from whoever has it, and waits for the
// applied vector to cover the union of the majority's.
func (n *Node) CatchUp(ctx context.Context, db string) error {
	need, selfVotes, voters := n.acksNeeded(engine.ConsistencyQuorum)
	got := 0
	if selfVotes {
		got = 1
	}
	target := engine.Vector{}
	var behind []Member
	for _, p := range n.peers() {
		if got >= need {
			break
		}
		var st statusResp
		if err := n.call(ctx, p, kindStatus, struct{}{}, &st); err != nil {
			continue
		}
		got++
		v := st.Databases[db].Vector
		for o, s := range v {
			target[o] = max(target[o], s)
		}
		if mine, _ := n.eng.Vector(db); !mine.Covers(v) {
			behind = append(behind, p)
		}
	}
	if got < need {
		return fmt.Errorf("%d of %d voters answered, a quorum read needs %d", got, len(voters), need)
	}
	for _, p := range behind {
		if err := n.pullFrom(ctx, p, db); err != nil {
			return fmt.Errorf("catch up from %s: %w", p.NodeID, err)
		}
	}
	if mine, _ := n.eng.Vector(db); !mine.Covers(target) {
		return fmt.Errorf("still behind the majority after pulling (have %s, want %s)", mine.Bookmark(), target.Bookmark())
	}
	return nil
}
