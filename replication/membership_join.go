package replication

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// joinRetryInterval is the pause between join attempts.
func (m *Membership) joinRetryInterval() time.Duration {
	if m.cfg.Fast {
		return 100 * time.Millisecond
	}
	return time.Second
}

// Join resolves seeds (see MembershipConfig.Join) and joins the cluster
// through them, retrying while no seed answers until ctx ends or JoinTimeout
// passes. Seeds that resolve only to this node succeed at once. A node id
// already used by a live member fails at once with ErrDuplicateNodeID.
func (m *Membership) Join(ctx context.Context, seeds []string) error {
	ctx, cancel := context.WithTimeout(ctx, m.cfg.JoinTimeout)
	defer cancel()
	for {
		err := m.joinOnce(ctx, seeds)
		if err == nil || errors.Is(err, ErrDuplicateNodeID) || errors.Is(err, ErrMembershipClosed) {
			return err
		}
		m.log.Debug("join attempt failed", "error", err)
		select {
		case <-ctx.Done():
			return fmt.Errorf("join cluster: no seed of %v answered within %s (unreachable, or another cluster secret): %w",
				seeds, m.cfg.JoinTimeout, err)
		case <-time.After(m.joinRetryInterval()):
		}
	}
}

// joinOnce makes one attempt to contact the seeds that are not this node.
func (m *Membership) joinOnce(ctx context.Context, seeds []string) error {
	if m.closed.Load() {
		return fmt.Errorf("join cluster: %w", ErrMembershipClosed)
	}
	addrs, resolveErr := resolveSeeds(ctx, m.cfg.Resolver, seeds)
	addrs = m.withoutSelf(addrs)
	if len(addrs) == 0 {
		return resolveErr
	}
	m.takeConflict()
	n, err := m.ml.Join(addrs)
	if conflict := m.takeConflict(); conflict != nil {
		return conflict
	}
	if n == 0 {
		return fmt.Errorf("contact seeds %v: %w", addrs, errors.Join(err, resolveErr))
	}
	m.log.Info("joined cluster", "contacted", n, "seeds", addrs)
	return nil
}

// withoutSelf drops this node's own gossip address from addrs.
func (m *Membership) withoutSelf(addrs []string) []string {
	self := m.GossipAddr()
	out := addrs[:0:0]
	for _, a := range addrs {
		if !sameAddr(a, self) {
			out = append(out, a)
		}
	}
	return out
}

// rejoinLoop periodically joins the seeds that are not live members, so a
// cluster that booted in pieces, or was partitioned for longer than
// memberlist remembers dead nodes, comes back together.
func (m *Membership) rejoinLoop() {
	defer m.wg.Done()
	if len(m.cfg.Join) == 0 || m.cfg.RejoinInterval < 0 {
		return
	}
	t := time.NewTicker(m.cfg.RejoinInterval)
	defer t.Stop()
	for {
		select {
		case <-m.done:
			return
		case <-t.C:
			m.rejoin()
		}
	}
}

// rejoin makes one join attempt to the seeds that are unknown or dead.
func (m *Membership) rejoin() {
	if m.Local().State == MemberLeft {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), m.cfg.RejoinInterval)
	defer cancel()
	addrs, _ := resolveSeeds(ctx, m.cfg.Resolver, m.cfg.Join)
	addrs = m.notLive(m.withoutSelf(addrs))
	if len(addrs) == 0 {
		return
	}
	if err := m.joinOnce(ctx, addrs); err != nil {
		m.log.Debug("rejoin seeds", "seeds", addrs, "error", err)
	}
}

// notLive keeps the addresses that belong to no alive, suspect or left member.
func (m *Membership) notLive(addrs []string) []string {
	members := m.table.list()
	out := addrs[:0:0]
	for _, a := range addrs {
		live := false
		for _, mem := range members {
			if mem.State != MemberDead && sameAddr(a, mem.GossipAddr) {
				live = true
			}
		}
		if !live {
			out = append(out, a)
		}
	}
	return out
}
