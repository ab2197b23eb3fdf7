package replication

import (
	"fmt"

	"github.com/warren-db/warren/engine"
)

// voters returns the members that count toward quorum: voters that did not
// leave and were not removed, down ones included ("quorum = majority of all
// members").
func (n *Node) voters() []Member {
	var out []Member
	seen, removed := map[string]bool{}, n.removedSet()
	for _, m := range n.mem.Members() {
		seen[m.NodeID] = true
		if m.IsVoter() && !isRemoved(m, removed) {
			out = append(out, m)
		}
	}
	for _, k := range n.known.list() { // remembered voters gossip has not heard of since a restart
		if !seen[k.NodeID] && !removed[k.NodeID] && (k.Role == "" || k.Role == RoleVoter) {
			out = append(out, Member{Meta: Meta{NodeID: k.NodeID, Role: RoleVoter}, State: MemberDead, GossipAddr: k.GossipAddr})
		}
	}
	return out
}

// acksNeeded returns how many voters must hold a change for level c,
// whether this node's own copy counts as one of them, and the voters.
func (n *Node) acksNeeded(c engine.Consistency) (need int, selfVotes bool, voters []Member) {
	voters = n.voters()
	for _, v := range voters {
		if v.NodeID == n.self {
			selfVotes = true
		}
	}
	switch c {
	case engine.ConsistencyAll:
		return len(voters), selfVotes, voters
	case engine.ConsistencyQuorum:
		return len(voters)/2 + 1, selfVotes, voters
	}
	return 1, selfVotes, voters
}

// quorumError explains a write that did not gather enough acks.
func quorumError(level engine.Consistency, got, need, voters int, errs []error) error {
	msg := fmt.Sprintf("%d of %d voters acknowledged, %s needs %d", got, voters, level, need)
	if len(errs) > 0 {
		msg += fmt.Sprintf(" (first failure: %v)", errs[0])
	}
	return &engine.Error{Code: engine.CodeUnavailable, Message: msg}
}
