package cdc

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/warren-db/warren/engine"
)

// run publishes l's database until ctx ends or the database closes (it
// was dropped or replaced: the supervisor decides whether to start again).
// A replaced database's log is published again from its beginning: the
// broker drops what it already stored within its duplicate window.
func (p *Publisher) run(ctx context.Context, l *pubLoop) {
	bo := pubBackoff{min: p.cfg.MinBackoff, max: p.cfg.MaxBackoff}
	flt := p.filter(l.db)
	for {
		from := p.resumePos(l)
		err := p.follow(ctx, l, from, flt, &bo)
		switch {
		case ctx.Err() != nil, engine.ErrorCode(err) == engine.CodeNotFound:
			return
		case errors.Is(err, engine.ErrClosed):
			// Dropped (the supervisor forgets it) or replaced by a snapshot,
			// whose log numbers its change sets anew: the supervisor starts
			// again from the beginning of the new log.
			p.advance(l, End(0), 0)
			return
		case errors.Is(err, engine.ErrLogTrimmed):
			head, _ := p.eng.LogHead(l.db)
			p.log.Error("change log trimmed past the cursor: the changes in between are skipped",
				"db", l.db, "cursor", from.String(), "resume", head)
			p.advance(l, End(head), 0)
			continue
		}
		p.log.Warn("read change feed; retrying", "db", l.db, "err", err)
		if !sleepCtx(ctx, bo.delay()) {
			return
		}
	}
}

// resumePos is l's cursor, or the beginning of the log when the cursor is
// past the head: the database was dropped and created again, or replaced.
func (p *Publisher) resumePos(l *pubLoop) Position {
	from := p.cursor(l)
	if head, err := p.eng.LogHead(l.db); err == nil && heldPos(from) > head {
		p.log.Warn("cursor is past the log head (database created again or replaced): publishing its log from the beginning",
			"db", l.db, "cursor", from.String(), "head", head)
		from = End(0)
		p.advance(l, from, 0)
	}
	return from
}

// follow publishes the events of l's database after from, waiting for new
// ones, until an error.
func (p *Publisher) follow(ctx context.Context, l *pubLoop, from Position, flt Filter, bo *pubBackoff) error {
	batch := make([]Message, 0, p.cfg.BatchSize)
	for {
		next, err := p.feed.Catch(ctx, l.db, from, flt, func(ev *Event) error {
			msg, err := p.render(ctx, ev)
			if err != nil {
				return err
			}
			if batch = append(batch, msg); len(batch) < p.cfg.BatchSize {
				return nil
			}
			err = p.deliver(ctx, l, batch, bo)
			batch = batch[:0]
			return err
		})
		if err == nil {
			err = p.deliver(ctx, l, batch, bo)
		}
		batch = batch[:0]
		if err != nil {
			return err
		}
		p.advance(l, next, 0) // past the sets the filters skipped, too
		from = next
		if err := p.eng.WaitChanges(ctx, l.db, from.Pos); err != nil {
			return err
		}
	}
}

// render turns an event into a sink message.
func (p *Publisher) render(ctx context.Context, ev *Event) (Message, error) {
	table, err := p.feed.Table(ctx, ev.DB, ev.Table)
	if err != nil {
		return Message{}, err
	}
	o := p.feed.Options()
	msg := Message{ID: ev.ID(), DB: ev.DB, Table: ev.Table, Pos: ev.Pos}
	if msg.Value, err = o.Marshal(ev, table); err != nil {
		return Message{}, err
	}
	if msg.Key, err = o.MarshalKey(ev, table); err != nil {
		return Message{}, err
	}
	return msg, nil
}

// deliver hands batch to the sink until every message is acknowledged,
// moving the cursor past each acknowledged prefix and waiting with backoff
// between attempts. It gives up only when ctx ends.
func (p *Publisher) deliver(ctx context.Context, l *pubLoop, batch []Message, bo *pubBackoff) error {
	for len(batch) > 0 {
		n, err := p.sink.Publish(p.pub, batch)
		n = min(max(n, 0), len(batch))
		if n > 0 {
			p.advance(l, batch[n-1].Pos, n)
			batch = batch[n:]
		}
		if err == nil && len(batch) > 0 {
			err = errors.New("sink acknowledged only part of the batch")
		}
		if err == nil {
			p.recovered(l)
			bo.reset()
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		p.failed(l, err)
		if !sleepCtx(ctx, bo.delay()) {
			return ctx.Err()
		}
	}
	return nil
}

// failed notes a failed publish; the first failure of an outage (no loop
// failing before) is logged at WARN, the retries are not.
func (p *Publisher) failed(l *pubLoop, err error) {
	if l.failing.Swap(true) {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.failing++
	if p.failing == 1 {
		p.downFrom = time.Now()
		p.log.Warn("cdc publish failed; retrying with backoff until the broker is back (changes wait in the log)",
			"db", l.db, "err", err)
	}
}

// recovered notes a successful publish after failures.
func (p *Publisher) recovered(l *pubLoop) {
	if !l.failing.Swap(false) {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.failing--
	if p.failing == 0 {
		p.log.Info("cdc publish recovered", "db", l.db, "outage", time.Since(p.downFrom).Round(time.Millisecond))
	}
}

// filter selects the events of db to publish.
func (p *Publisher) filter(db string) Filter {
	var flt Filter
	if !p.cfg.AllOrigins {
		flt.Origin = p.eng.NodeID()
	}
	if len(p.cfg.Tables) > 0 {
		flt.Tables = map[string]bool{}
		for _, t := range p.cfg.Tables {
			if d, name, qualified := strings.Cut(t, "."); !qualified {
				flt.Tables[t] = true
			} else if d == db {
				flt.Tables[name] = true
			}
		}
	}
	return flt
}

// sleepCtx waits d or until ctx ends; it reports whether ctx is still live.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
