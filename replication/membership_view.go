package replication

import "time"

// Local returns this node as a member.
func (m *Membership) Local() Member {
	self, _ := m.table.get(m.cfg.Meta.NodeID)
	return self
}

// Members returns every known member, including dead and left ones, sorted
// by node id. A live member is reported as MemberSuspect when it has not
// acknowledged this node's own probes for about two probe rounds (memberlist
// keeps its suspicion private); its Since stays the time it became alive.
// In large clusters memberlist may declare a member dead before this node
// suspects it.
func (m *Membership) Members() []Member {
	entries := m.table.entries()
	after := m.suspectAfter(entries)
	now := m.table.now()
	out := make([]Member, len(entries))
	for i, e := range entries {
		out[i] = e.Member
		if e.State == MemberAlive && e.NodeID != m.cfg.Meta.NodeID && now.Sub(e.lastHeard()) > after {
			out[i].State = MemberSuspect
		}
	}
	return out
}

// suspectAfter is how long a live peer may go without acknowledging this
// node's probes: memberlist probes one peer per (health-scaled) probe
// interval in shuffled rounds, so two probes of a peer are at most two rounds
// apart; allow that plus the probe timeout.
func (m *Membership) suspectAfter(entries []tableEntry) time.Duration {
	peers := 0
	for _, e := range entries {
		if e.State == MemberAlive && e.NodeID != m.cfg.Meta.NodeID {
			peers++
		}
	}
	interval := m.probeInterval * time.Duration(m.ml.GetHealthScore()+1)
	round := interval * time.Duration(max(peers, 1))
	return 2*round + m.probeTimeout
}

// Voters returns the members that count toward quorum: role voter and not
// left (dead and suspect voters included), sorted by node id.
func (m *Membership) Voters() []Member {
	var out []Member
	for _, mem := range m.Members() {
		if mem.IsVoter() {
			out = append(out, mem)
		}
	}
	return out
}
