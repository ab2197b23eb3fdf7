package replication

import (
	"slices"
	"strings"
	"sync"
	"time"
)

// tableEntry is a member plus the raw metadata it gossiped, which is passed
// on unchanged when dead members are shared with joining nodes.
type tableEntry struct {
	Member
	rawMeta []byte
	lastAck time.Time // last successful direct probe by this node
	leaving bool      // sent a leave notice
}

// lastHeard is when the member last proved alive to this node: its last
// acknowledged probe, or becoming alive, whichever is later.
func (e tableEntry) lastHeard() time.Time {
	if e.lastAck.After(e.Since) {
		return e.lastAck
	}
	return e.Since
}

// memberTable is Warren's own view of the cluster. Unlike memberlist, it keeps
// dead members until they are reaped. Its lock is never held while calling
// into memberlist (memberlist calls the delegates that update the table with
// its own lock held).
type memberTable struct {
	mu      sync.Mutex
	self    string
	members map[string]*tableEntry
	now     func() time.Time
}

func newMemberTable(self string, now func() time.Time) *memberTable {
	return &memberTable{self: self, members: make(map[string]*tableEntry), now: now}
}

// set records a live member's metadata and address. Since moves only when
// the state changes; a member coming back to life is no longer leaving.
func (t *memberTable) set(meta Meta, raw []byte, addr string) Member {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.entry(meta.NodeID)
	if e.State != MemberAlive {
		e.State, e.Since, e.leaving = MemberAlive, t.now(), false
	}
	e.Meta, e.rawMeta, e.GossipAddr = meta, raw, addr
	return e.Member
}

// gone records a member that memberlist reports gone: MemberLeft if it said
// it was leaving (flagged metadata or a leave notice), else MemberDead.
func (t *memberTable) gone(meta Meta, raw []byte, addr string, flagged bool) Member {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.entry(meta.NodeID)
	st := MemberDead
	if flagged || e.leaving {
		st = MemberLeft
	}
	if e.State != st {
		e.State, e.Since = st, t.now()
	}
	e.Meta, e.rawMeta, e.GossipAddr = meta, raw, addr
	return e.Member
}

// entry returns the entry for name, creating it; t.mu must be held.
func (t *memberTable) entry(name string) *tableEntry {
	e, ok := t.members[name]
	if !ok {
		e = &tableEntry{}
		t.members[name] = e
	}
	return e
}

// markLeaving records a leave notice from a live member.
func (t *memberTable) markLeaving(name string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if e, ok := t.members[name]; ok && e.State == MemberAlive {
		e.leaving = true
	}
}

// acked records a successful probe of a member.
func (t *memberTable) acked(name string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if e, ok := t.members[name]; ok {
		e.lastAck = t.now()
	}
}

// addDead lists a member learned from a peer as dead, unless it is known.
func (t *memberTable) addDead(e tableEntry) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.members[e.NodeID]; ok {
		return false
	}
	e.State = MemberDead
	t.members[e.NodeID] = &e
	return true
}

func (t *memberTable) get(name string) (Member, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e, ok := t.members[name]
	if !ok {
		return Member{}, false
	}
	return e.Member, true
}

// list returns a copy of every member sorted by node id.
func (t *memberTable) list() []Member {
	entries := t.entries()
	out := make([]Member, len(entries))
	for i, e := range entries {
		out[i] = e.Member
	}
	return out
}

// entries returns a copy of every entry sorted by node id.
func (t *memberTable) entries() []tableEntry {
	t.mu.Lock()
	out := make([]tableEntry, 0, len(t.members))
	for _, e := range t.members {
		out = append(out, *e)
	}
	t.mu.Unlock()
	slices.SortFunc(out, func(a, b tableEntry) int { return strings.Compare(a.NodeID, b.NodeID) })
	return out
}

// dead returns copies of the dead entries, for sharing with peers.
func (t *memberTable) dead() []tableEntry {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []tableEntry
	for _, e := range t.members {
		if e.State == MemberDead {
			out = append(out, *e)
		}
	}
	return out
}

// reap removes dead members older than deadAfter and left members older
// than leftAfter (never this node itself) and returns them.
func (t *memberTable) reap(deadAfter, leftAfter time.Duration) []Member {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	var gone []Member
	for name, e := range t.members {
		expired := (e.State == MemberDead && now.Sub(e.Since) >= deadAfter) ||
			(e.State == MemberLeft && now.Sub(e.Since) >= leftAfter)
		if expired && name != t.self {
			gone = append(gone, e.Member)
			delete(t.members, name)
		}
	}
	return gone
}
