package replication

// A lane sends one call at a time, so under load messages queue behind the
// call in flight. Those of the same kind and database then travel as one
// message: one round trip and, at the peer, one staging transaction or one
// group of applies instead of one each. Order is kept: merging only joins
// messages that are next to each other in the queue.

const (
	maxCoalesce      = 256     // messages merged into one call
	maxCoalesceBytes = 8 << 20 // their payloads' total size
)

// coalesce takes the messages queued right behind first that can merge
// with it, within maxCoalesceBytes and the sender's budget (the node's
// MessageBytes, so that messages node_chunk.go split stay apart). It
// returns them with first, and the message it took from the queue that
// cannot merge, if any, to be sent next.
func (s *sender) coalesce(first outMsg) ([]outMsg, *outMsg) {
	budget := maxCoalesceBytes
	if s.budget > 0 {
		budget = min(budget, s.budget)
	}
	batch, size := []outMsg{first}, len(first.payload)
	for len(batch) < maxCoalesce && size < budget {
		select {
		case m := <-s.queue:
			if !mergeable(first, m) || size+len(m.payload) > budget {
				return batch, &m
			}
			batch, size = append(batch, m), size+len(m.payload)
		default:
			return batch, nil
		}
	}
	return batch, nil
}

// mergeable reports whether b can travel in the same call as a.
func mergeable(a, b outMsg) bool {
	if a.kind != b.kind || a.msg == nil || b.msg == nil {
		return false
	}
	switch x := a.msg.(type) {
	case setsMsg:
		y, ok := b.msg.(setsMsg)
		return ok && x.DB == y.DB
	case idsMsg:
		y, ok := b.msg.(idsMsg)
		return ok && x.DB == y.DB
	}
	return false
}

// merge joins mergeable messages into one, in order.
func merge(batch []outMsg) outMsg {
	switch first := batch[0].msg.(type) {
	case setsMsg:
		all := setsMsg{DB: first.DB}
		for _, m := range batch {
			all.Sets = append(all.Sets, m.msg.(setsMsg).Sets...)
		}
		return outMsg{kind: batch[0].kind, msg: all, payload: encode(all)}
	case idsMsg:
		all := idsMsg{DB: first.DB}
		for _, m := range batch {
			all.IDs = append(all.IDs, m.msg.(idsMsg).IDs...)
		}
		return outMsg{kind: batch[0].kind, msg: all, payload: encode(all)}
	}
	return batch[0]
}
