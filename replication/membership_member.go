package replication

import "time"

// MemberState is a member's liveness as this node sees it.
type MemberState int

// Member states.
const (
	// MemberAlive answers probes.
	MemberAlive MemberState = iota + 1
	// MemberSuspect missed probes and is being confirmed dead; it may refute.
	MemberSuspect
	// MemberDead failed without leaving. It stays listed and counts toward
	// quorum until it comes back or is reaped after DeadReapTimeout.
	MemberDead
	// MemberLeft left gracefully. It no longer counts toward quorum and is
	// removed after LeftRetention.
	MemberLeft
)

// String returns the lower-case state name.
func (s MemberState) String() string {
	switch s {
	case MemberAlive:
		return "alive"
	case MemberSuspect:
		return "suspect"
	case MemberDead:
		return "dead"
	case MemberLeft:
		return "left"
	}
	return "unknown"
}

// Member is one node of the cluster as this node sees it.
type Member struct {
	Meta
	// State is the member's liveness.
	State MemberState
	// GossipAddr is the member's gossip host:port.
	GossipAddr string
	// Since is when this node saw State begin.
	Since time.Time
}

// IsVoter reports whether the member counts toward quorum: a voter that did
// not leave (dead and suspect voters count).
func (m Member) IsVoter() bool {
	return m.Role == RoleVoter && m.State != MemberLeft
}
