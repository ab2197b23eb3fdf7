package replication

import (
	"testing"
)

func TestEventQueue_DropsOldestWithoutBlocking(t *testing.T) {
	q := newEventQueue(2)
	for i := 1; i <= 5; i++ {
		q.push(MemberEvent{Type: EventMemberJoin, Member: Member{Meta: Meta{Slot: i}}})
	}
	if got := q.dropped.Load(); got != 3 {
		t.Fatalf("dropped %d events, want 3", got)
	}
	for _, want := range []int{4, 5} {
		if e := <-q.ch; e.Member.Slot != want {
			t.Fatalf("got event %d, want %d (newest kept)", e.Member.Slot, want)
		}
	}
	q.close()
	q.push(MemberEvent{}) // ignored after close, no panic
	if _, ok := <-q.ch; ok {
		t.Fatal("channel still open after close")
	}
}

func TestMemberEventType_String(t *testing.T) {
	for typ, want := range map[MemberEventType]string{
		EventMemberJoin: "member-join", EventMemberUpdate: "member-update", EventMemberFailed: "member-failed",
		EventMemberLeave: "member-leave", EventMemberReap: "member-reap", 0: "unknown",
	} {
		if got := typ.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int(typ), got, want)
		}
	}
}
