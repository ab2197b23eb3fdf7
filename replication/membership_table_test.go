package replication

import (
	"slices"
	"testing"
	"time"
)

func TestMemberTable_Reap(t *testing.T) {
	now := time.Unix(1000, 0)
	tb := newMemberTable("self", func() time.Time { return now })
	tb.set(Meta{NodeID: "self"}, nil, "a:1")
	tb.set(Meta{NodeID: "dead"}, nil, "a:2")
	tb.set(Meta{NodeID: "left"}, nil, "a:3")
	tb.gone(Meta{NodeID: "dead"}, nil, "a:2", false)
	tb.gone(Meta{NodeID: "left"}, nil, "a:3", true)
	tb.gone(Meta{NodeID: "self"}, nil, "a:1", true) // this node left: never reaped

	now = now.Add(time.Hour)
	if gone := tb.reap(2*time.Hour, 2*time.Hour); len(gone) != 0 {
		t.Fatalf("reaped %v too early", nodeIDs(gone))
	}
	if gone := tb.reap(2*time.Hour, time.Hour); !slices.Equal(nodeIDs(gone), []string{"left"}) {
		t.Fatalf("reaped %v, want left", nodeIDs(gone))
	}
	if gone := tb.reap(time.Hour, time.Hour); !slices.Equal(nodeIDs(gone), []string{"dead"}) {
		t.Fatalf("reaped %v, want dead", nodeIDs(gone))
	}
	if got := nodeIDs(tb.list()); !slices.Equal(got, []string{"self"}) {
		t.Fatalf("left with %v, want self", got)
	}
}

func TestMemberTable_LeaveNotice(t *testing.T) {
	now := time.Unix(1000, 0)
	tb := newMemberTable("self", func() time.Time { return now })
	tb.set(Meta{NodeID: "a"}, nil, "a:1")
	tb.set(Meta{NodeID: "b"}, nil, "b:1")
	tb.markLeaving("a")
	if got := tb.gone(Meta{NodeID: "a"}, nil, "a:1", false); got.State != MemberLeft {
		t.Fatalf("noticed member gone as %s, want left", got.State)
	}
	if got := tb.gone(Meta{NodeID: "b"}, nil, "b:1", false); got.State != MemberDead {
		t.Fatalf("silent member gone as %s, want dead", got.State)
	}
	now = now.Add(time.Second)
	if got := tb.set(Meta{NodeID: "a"}, nil, "a:1"); got.State != MemberAlive || !got.Since.Equal(now) {
		t.Fatalf("member back as %+v, want alive since now", got)
	}
	if got := tb.gone(Meta{NodeID: "a"}, nil, "a:1", false); got.State != MemberDead {
		t.Fatalf("member back then failed as %s, want dead (old notice forgotten)", got.State)
	}
}

func TestMemberTable_AddDeadKeepsKnown(t *testing.T) {
	tb := newMemberTable("self", time.Now)
	tb.set(Meta{NodeID: "a"}, nil, "a:1")
	if tb.addDead(tableEntry{Member: Member{Meta: Meta{NodeID: "a"}}}) {
		t.Fatal("a peer's dead record overrode a known live member")
	}
	if !tb.addDead(tableEntry{Member: Member{Meta: Meta{NodeID: "z"}}}) {
		t.Fatal("an unknown dead member was not added")
	}
	if m, _ := tb.get("z"); m.State != MemberDead {
		t.Fatalf("added member is %s, want dead", m.State)
	}
}
