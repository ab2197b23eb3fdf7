package replication

import (
	"context"
	"fmt"
	"time"
)

// slotLock is the lease key under which nodes claim id slots one at a time.
const slotLock = "__warren_slots"

// slotSettle is how long a claimer holds the slot lease after announcing its
// slot, so that gossip has spread it before the next claimer looks.
var slotSettle = 2 * time.Second

// ClaimSlot gives this node the lowest id slot no member uses, under a
// lease taken from a majority of voters, stores it in the data dir and
// announces it through gossip. A node claims once; the slot is kept across
// restarts.
func (n *Node) ClaimSlot(ctx context.Context, stride int) error {
	var release func()
	err := retry(ctx, func() error {
		var err error
		release, err = n.LockSchema(ctx, slotLock)
		return err
	})
	if err != nil {
		return err
	}
	defer release()
	used := map[int]bool{}
	for _, m := range n.mem.Members() {
		if m.NodeID != n.self && m.Slot > 0 {
			used[m.Slot] = true
		}
	}
	slot := 0
	for s := 1; s <= stride; s++ {
		if !used[s] {
			slot = s
			break
		}
	}
	if slot == 0 {
		return fmt.Errorf("every id slot 1..%d is taken: raise id_stride on every node", stride)
	}
	if err := n.eng.SetSlot(slot); err != nil {
		return err
	}
	meta := n.mem.Local().Meta
	meta.Slot = slot
	if err := n.mem.UpdateMeta(meta); err != nil {
		return fmt.Errorf("announce id slot: %w", err)
	}
	n.log.Info("claimed id slot", "slot", slot)
	select {
	case <-time.After(slotSettle):
	case <-ctx.Done():
	}
	return nil
}

// retry calls fn until it succeeds or ctx ends, backing off up to a second.
func retry(ctx context.Context, fn func() error) error {
	wait := 50 * time.Millisecond
	for {
		err := fn()
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last error: %v)", ctx.Err(), err)
		case <-time.After(wait):
		}
		wait = min(2*wait, time.Second)
	}
}
