package replication

import (
	"testing"

	"github.com/warren-db/warren/engine"
)

func TestCoalesce_MergesNeighboursOfOneKindAndDatabase(t *testing.T) {
	s := &sender{queue: make(chan outMsg, 16)}
	set := func(seq uint64) *engine.ChangeSet { return &engine.ChangeSet{Origin: "a", Seq: seq} }
	sets := func(db string, seqs ...uint64) outMsg {
		m := setsMsg{DB: db}
		for _, q := range seqs {
			m.Sets = append(m.Sets, set(q))
		}
		return outMsg{kind: kindPrepare, msg: m, payload: encode(m)}
	}
	s.queue <- sets("main", 2, 3)
	s.queue <- sets("main", 4)
	s.queue <- sets("other", 5) // another database: not merged, sent next
	s.queue <- sets("main", 6)

	batch, next := s.coalesce(sets("main", 1))
	if len(batch) != 3 || next == nil || next.msg.(setsMsg).DB != "other" {
		t.Fatalf("batch of %d, next %+v; want 3 messages of main, then other", len(batch), next)
	}
	var got setsMsg
	if err := decode(merge(batch).payload, &got); err != nil {
		t.Fatal(err)
	}
	if got.DB != "main" || len(got.Sets) != 4 {
		t.Fatalf("merged %+v", got)
	}
	for i, cs := range got.Sets {
		if cs.Seq != uint64(i+1) {
			t.Fatalf("merged sets out of order: %+v", got.Sets)
		}
	}

	if batch, next := s.coalesce(*next); len(batch) != 1 || next == nil || next.msg.(setsMsg).Sets[0].Seq != 6 {
		t.Fatalf("after other: batch %d, next %+v; want other alone, then main 6", len(batch), next)
	}

	lock := outMsg{kind: kindLock, payload: []byte("{}")} // no msg: never merged
	s.queue <- lock
	if batch, next := s.coalesce(lock); len(batch) != 1 || next == nil || next.kind != kindLock {
		t.Fatalf("messages without msg merged: batch %d, next %+v", len(batch), next)
	}
	if batch, _ := s.coalesce(sets("main", 7)); len(batch) != 1 {
		t.Fatalf("the lock message was merged into a prepare")
	}
}

func TestCoalesce_IDs(t *testing.T) {
	s := &sender{queue: make(chan outMsg, 4)}
	ids := func(seq uint64) outMsg {
		m := idsMsg{DB: "main", IDs: []engine.SetID{{Origin: "a", Seq: seq}}}
		return outMsg{kind: kindCommit, msg: m, payload: encode(m)}
	}
	s.queue <- ids(2)
	abort := ids(3)
	abort.kind = kindAbort // same shape, other kind: not merged
	s.queue <- abort
	batch, next := s.coalesce(ids(1))
	if len(batch) != 2 || next == nil || next.kind != kindAbort {
		t.Fatalf("batch %d next %+v", len(batch), next)
	}
	if m := merge(batch).msg.(idsMsg); len(m.IDs) != 2 || m.IDs[0].Seq != 1 || m.IDs[1].Seq != 2 {
		t.Fatalf("merged %+v", m)
	}
}

// Messages that together exceed the sender's budget stay apart: change
// sets split to fit the transport's largest message are not merged back.
func TestCoalesce_KeepsWithinBudget(t *testing.T) {
	msg := func(seq uint64) outMsg {
		m := setsMsg{DB: "main", Sets: []*engine.ChangeSet{{Origin: "a", Seq: seq}}}
		return outMsg{kind: kindPrepare, msg: m, payload: encode(m)}
	}
	first := msg(1)
	s := &sender{queue: make(chan outMsg, 4), budget: 2*len(first.payload) + 1}
	s.queue <- msg(2)
	s.queue <- msg(3)
	batch, next := s.coalesce(first)
	if len(batch) != 2 || next == nil || next.msg.(setsMsg).Sets[0].Seq != 3 {
		t.Fatalf("batch of %d, next %+v; want 2 messages within the budget, then the third", len(batch), next)
	}
}
