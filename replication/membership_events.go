package replication

import (
	"sync"
	"sync/atomic"
)

// MemberEventType says what happened to a member.
type MemberEventType int

// Member event types.
const (
	// EventMemberJoin means a member became alive (new, or back from dead or left).
	EventMemberJoin MemberEventType = iota + 1
	// EventMemberUpdate means a live member changed its metadata.
	EventMemberUpdate
	// EventMemberFailed means a member was declared dead (it stays listed).
	EventMemberFailed
	// EventMemberLeave means a member left gracefully.
	EventMemberLeave
	// EventMemberReap means a dead or left member was removed from the list.
	EventMemberReap
)

// String returns the event name.
func (t MemberEventType) String() string {
	switch t {
	case EventMemberJoin:
		return "member-join"
	case EventMemberUpdate:
		return "member-update"
	case EventMemberFailed:
		return "member-failed"
	case EventMemberLeave:
		return "member-leave"
	case EventMemberReap:
		return "member-reap"
	}
	return "unknown"
}

// MemberEvent reports a change of one member; Member is its state right after.
type MemberEvent struct {
	Type   MemberEventType
	Member Member
}

// eventQueue is a bounded channel that never blocks its producers: when it
// is full the oldest event is dropped to make room. Events are hints; a
// consumer that needs the full picture calls Members.
type eventQueue struct {
	mu      sync.Mutex
	ch      chan MemberEvent
	closed  bool
	dropped atomic.Uint64
}

func newEventQueue(size int) *eventQueue {
	return &eventQueue{ch: make(chan MemberEvent, size)}
}

// push enqueues e, dropping the oldest queued event if the buffer is full.
// It is a no-op after close.
func (q *eventQueue) push(e MemberEvent) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	for {
		select {
		case q.ch <- e:
			return
		default:
		}
		select {
		case <-q.ch:
			q.dropped.Add(1)
		default:
		}
	}
}

// close closes the channel; later pushes are ignored.
func (q *eventQueue) close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.closed {
		q.closed = true
		close(q.ch)
	}
}
