package replication

import (
	"context"
	"errors"
	"sync"
)

// sender delivers one peer's asynchronous messages (commits, aborts, pushes)
// in order. Its queue is bounded: when a peer cannot keep up, messages are
// dropped and anti-entropy repairs what they carried.
type sender struct {
	n      *Node
	peer   string
	queue  chan outMsg
	budget int // most payload bytes one merged message may carry (coalesce)
	once   sync.Once
	closed chan struct{}
}

type outMsg struct {
	kind    Kind
	msg     any // the message before encoding, when it may be merged with others (coalesce.go)
	payload []byte
	done    chan<- error // when set, receives the outcome (buffered by the caller)
}

const senderQueue = 4096

// Each peer has three lanes, each delivered in order: prepares, schema
// lease releases, and everything else (outcomes, pushes). A prepare never
// waits behind the outcomes of earlier writes; an outcome that overtakes
// its prepare is remembered by the participant (engine.earlyOutcomes). A
// release never waits behind an outcome either: an outcome may wait for
// the peer's writer, and a peer waiting for the lease holds its writer
// (LockSchema), so the release would wait for itself.
const (
	lanePrepare = "prepare"
	laneOutcome = "outcome"
	laneLease   = "lease"
)

func (n *Node) senderFor(peer string) *sender { return n.lane(peer, laneOutcome) }

// laneKey names a sender: one per peer and lane.
type laneKey struct{ peer, lane string }

func (n *Node) lane(peer, lane string) *sender {
	n.sendMu.Lock()
	defer n.sendMu.Unlock()
	key := laneKey{peer, lane}
	s, ok := n.senders[key]
	if !ok {
		s = &sender{n: n, peer: peer, queue: make(chan outMsg, senderQueue), closed: make(chan struct{}), budget: n.cfg.MessageBytes}
		n.senders[key] = s
		go s.run()
	}
	return s
}

// send queues a message; msg is what payload encodes when the lane may
// merge it with others, nil otherwise.
func (s *sender) send(kind Kind, msg any, payload []byte) {
	s.sendWait(kind, msg, payload, nil)
}

// sendWait queues a message whose outcome is reported on done.
func (s *sender) sendWait(kind Kind, msg any, payload []byte, done chan<- error) {
	select {
	case s.queue <- outMsg{kind, msg, payload, done}:
	default:
		s.n.log.Debug("peer queue full; anti-entropy will repair", "peer", s.peer)
		if done != nil {
			done <- errQueueFull
		}
	}
}

var errQueueFull = errors.New("peer queue full")

func (s *sender) close() { s.once.Do(func() { close(s.closed) }) }

func (s *sender) run() {
	var next *outMsg // taken from the queue but not mergeable with the last batch
	for {
		m := next
		next = nil
		if m == nil {
			select {
			case <-s.closed:
				return
			case x := <-s.queue:
				m = &x
			}
		}
		batch, rest := s.coalesce(*m)
		next = rest
		s.deliver(batch)
	}
}

// deliver sends a batch of queued messages as one call and reports the
// outcome to each of them.
func (s *sender) deliver(batch []outMsg) {
	m := batch[0]
	if len(batch) > 1 {
		m = merge(batch)
	}
	err := s.call(m)
	if err != nil {
		s.n.log.Debug("deliver to peer", "peer", s.peer, "kind", m.kind, "messages", len(batch), "err", err)
	}
	for _, b := range batch {
		if b.done != nil {
			b.done <- err
		}
	}
}

func (s *sender) call(m outMsg) error {
	peer, ok := s.n.member(s.peer)
	if !ok || peer.QUICAddr == "" {
		return errors.New("peer unknown")
	}
	ctx, cancel := context.WithTimeout(s.n.ctx, s.n.cfg.CallTimeout)
	defer cancel()
	_, err := s.n.tr.Call(ctx, peer.QUICAddr, m.kind, m.payload)
	return err
}
