package replication

import (
	"context"

	"github.com/warren-db/warren/engine"
)

// Prepare has peers stage sets and returns once level c is met. It sends to
// every reachable peer and keeps sending in the background after the quorum
// answered, so that the others stage them too.
func (n *Node) Prepare(ctx context.Context, db string, sets []*engine.ChangeSet, c engine.Consistency) error {
	need, selfVotes, all := n.acksNeeded(c)
	got := 0
	if selfVotes {
		got = 1
	}
	if got >= need {
		return nil
	}
	peers := n.peers()
	voters := len(all)
	if got+countVoters(peers) < need {
		return quorumError(c, got, need, voters, nil)
	}
	// The peers beyond the quorum keep staging after it answered.
	msgs := n.setsMsgs(db, sets)
	results := make(chan error, len(peers))
	var others []chan error // non-voters' outcomes
	for _, p := range peers {
		done := results
		if !p.IsVoter() {
			done = make(chan error, 1)
			others = append(others, done)
		}
		sendSets(n.lane(p.NodeID, lanePrepare), kindPrepare, msgs, done)
	}
	var errs []error
	pending := countVoters(peers)
	for ; pending > 0 && got < need; pending-- {
		select {
		case err := <-results:
			if err != nil {
				errs = append(errs, err)
			} else {
				got++
			}
		case <-ctx.Done():
			return quorumError(c, got, need, voters, append(errs, ctx.Err()))
		}
	}
	if got < need {
		return quorumError(c, got, need, voters, errs)
	}
	if engine.CarriesSchema(sets) {
		awaitRest(ctx, results, pending, others)
	}
	return nil
}

// awaitRest waits, until ctx ends, for the peers beyond the quorum to
// answer the prepare of a schema change. Its COMMIT travels on another lane
// and must not overtake their prepare: a peer answers a COMMIT for a set it
// has not staged yet at once (it remembers the outcome for the prepare), so
// the DDL would answer before that peer has the new schema (Committed).
func awaitRest(ctx context.Context, results <-chan error, pending int, others []chan error) {
	for ; pending > 0; pending-- {
		select {
		case <-results:
		case <-ctx.Done():
			return
		}
	}
	for _, done := range others {
		select {
		case <-done:
		case <-ctx.Done():
			return
		}
	}
}

func countVoters(ms []Member) int {
	k := 0
	for _, m := range ms {
		if m.IsVoter() {
			k++
		}
	}
	return k
}

// Committed tells peers to apply prepared sets, or pushes sets of ONE writes.
// For prepared schema changes it returns a channel closed once every peer it
// told has answered (see engine.Replicator).
func (n *Node) Committed(db string, sets []*engine.ChangeSet, prepared bool) <-chan struct{} {
	if !prepared {
		msgs := n.setsMsgs(db, sets)
		for _, p := range n.peers() {
			sendSets(n.senderFor(p.NodeID), kindPush, msgs, nil)
		}
		return nil
	}
	msg := idsMsg{DB: db, IDs: ids(sets)}
	if !engine.CarriesSchema(sets) {
		n.broadcast(kindCommit, msg)
		return nil
	}
	peers := n.peers()
	answers := make(chan error, len(peers))
	n.sendAll(peers, kindCommit, msg, answers)
	applied := make(chan struct{})
	go func() {
		for range peers {
			<-answers
		}
		close(applied)
	}()
	return applied
}

// Announce tells the reachable peers about databases created or dropped
// and registry records written here, and returns once they answered or ctx
// ended; the others learn from anti-entropy.
func (n *Node) Announce(ctx context.Context, catalog map[string]engine.CatalogRecord, registry map[string]map[string]engine.RegistryRecord) {
	peers := n.peers()
	answers := make(chan error, len(peers))
	n.sendAll(peers, kindAnnounce, announceMsg{Catalog: catalog, Registry: registry}, answers)
	for range peers {
		select {
		case err := <-answers:
			if err != nil {
				n.log.Debug("announce catalog or registry change", "err", err)
			}
		case <-ctx.Done():
			return
		}
	}
}

// Aborted tells peers to drop prepared sets that were rolled back.
func (n *Node) Aborted(db string, sets []*engine.ChangeSet) {
	n.broadcast(kindAbort, idsMsg{DB: db, IDs: ids(sets)})
}

func ids(sets []*engine.ChangeSet) []engine.SetID {
	out := make([]engine.SetID, len(sets))
	for i, cs := range sets {
		out[i] = cs.ID()
	}
	return out
}

// broadcast queues a message to every reachable peer, in order per peer.
func (n *Node) broadcast(kind Kind, msg any) { n.sendAll(n.peers(), kind, msg, nil) }

// sendAll queues a message to peers. Each outcome goes to answers when that
// is not nil; it must have room for them all.
func (n *Node) sendAll(peers []Member, kind Kind, msg any, answers chan<- error) {
	payload := encode(msg)
	for _, p := range peers {
		n.senderFor(p.NodeID).sendWait(kind, msg, payload, answers)
	}
}
