package replication

import "github.com/warren-db/warren/engine"

// Change sets travel in messages holding at most NodeConfig.MessageBytes
// of them (a larger set travels alone), well under the transport's largest
// frame. Otherwise a group commit of several large client transactions
// (each under max_transaction_bytes), or a page of anti-entropy, would make
// a message the transport refuses, and what it carried would never arrive:
// a QUORUM write would fail on every retry, and a peer that fell behind
// would stay behind until the delta-sync threshold sent it a snapshot.

// chunkSets splits sets, in order, into runs of at most budget bytes
// (cs.Size); a set larger than budget is a run of its own.
func chunkSets(sets []*engine.ChangeSet, budget int) [][]*engine.ChangeSet {
	var out [][]*engine.ChangeSet
	var run []*engine.ChangeSet
	size := 0
	for _, cs := range sets {
		n := cs.Size()
		if len(run) > 0 && size+n > budget {
			out, run, size = append(out, run), nil, 0
		}
		run, size = append(run, cs), size+n
	}
	if len(run) > 0 {
		out = append(out, run)
	}
	return out
}

// setsMsgs encodes db's sets as the messages chunkSets makes of them.
func (n *Node) setsMsgs(db string, sets []*engine.ChangeSet) []outMsg {
	var out []outMsg
	for _, run := range chunkSets(n.filterSets(db, sets), n.cfg.MessageBytes) {
		msg := setsMsg{DB: db, Sets: run}
		out = append(out, outMsg{msg: msg, payload: encode(msg)})
	}
	return out
}

// sendSets queues msgs (from setsMsgs) on s as kind; done, when not nil,
// receives one outcome for them all: the first failure, or nil.
func sendSets(s *sender, kind Kind, msgs []outMsg, done chan<- error) {
	if len(msgs) == 1 || done == nil {
		for _, m := range msgs {
			s.sendWait(kind, m.msg, m.payload, done)
		}
		return
	}
	each := make(chan error, len(msgs))
	for _, m := range msgs {
		s.sendWait(kind, m.msg, m.payload, each)
	}
	go func() {
		var first error
		for range msgs {
			if err := <-each; err != nil && first == nil {
				first = err
			}
		}
		done <- first
	}()
}
