package cdc

import (
	"maps"
	"time"
)

// DatabaseStats is the state of one database's publication.
type DatabaseStats struct {
	DB string
	// Cursor is the last event the sink acknowledged (or the end of the
	// last change set handled).
	Cursor Position
	// Head is the log head: the newest change set's position.
	Head int64
	// Lag counts the change sets (transactions) past the cursor, every
	// origin's, including those the filters skip: Head minus the last
	// change set fully handled.
	Lag int64
	// Published counts the events the sink acknowledged since Start.
	Published uint64
	// Failing is true while the database's publishes fail and are retried.
	Failing bool
}

// Stats returns the state of every database being published, by name.
func (p *Publisher) Stats() []DatabaseStats {
	p.mu.Lock()
	cursors := maps.Clone(p.cursors)
	loops := maps.Clone(p.loops)
	p.mu.Unlock()
	out := make([]DatabaseStats, 0, len(cursors))
	for _, db := range sortedNames(cursors) {
		st := DatabaseStats{DB: db, Cursor: cursors[db]}
		if head, err := p.eng.LogHead(db); err == nil {
			st.Head = head
			st.Lag = max(head-heldPos(st.Cursor), 0)
		}
		if l := loops[db]; l != nil {
			st.Published = l.published.Load()
			st.Failing = l.failing.Load()
		}
		out = append(out, st)
	}
	return out
}

// Connected reports whether the sink is connected to its broker: the sink's
// own answer if it implements Connectivity, else whether no publish is
// failing.
func (p *Publisher) Connected() bool {
	if c, ok := p.sink.(Connectivity); ok {
		return c.Connected()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.failing == 0
}

// advance moves l's cursor to pos after the sink acknowledged n events.
func (p *Publisher) advance(l *pubLoop, pos Position, n int) {
	l.published.Add(uint64(n))
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.loops[l.db] != l { // dropped meanwhile
		return
	}
	if cur, ok := p.cursors[l.db]; !ok || cur != pos {
		p.cursors[l.db] = pos
		p.markDirty()
	}
}

// cursor returns the cursor of l's database.
func (p *Publisher) cursor(l *pubLoop) Position {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cursors[l.db]
}

// markDirty wakes the saver; the caller holds p.mu.
func (p *Publisher) markDirty() {
	select {
	case p.dirty <- struct{}{}:
	default:
	}
}

// saveLoop writes the cursors whenever they change, coalescing changes
// that come while a save runs, until the publisher stops.
func (p *Publisher) saveLoop() {
	defer p.wg.Done()
	var retry <-chan time.Time
	for {
		select {
		case <-p.stop.Done():
			return
		case <-p.dirty:
		case <-retry:
		}
		retry = nil
		if err := p.save(); err != nil {
			p.log.Warn("save cdc cursors; retrying", "path", p.cfg.CursorPath, "err", err)
			retry = time.After(p.cfg.MaxBackoff)
		}
	}
}

// save writes the cursors to the cursor file, then moves the log holds up
// to them: the log keeps everything past the saved cursor, which is where
// a restart resumes.
func (p *Publisher) save() error {
	p.mu.Lock()
	cursors := maps.Clone(p.cursors)
	same := maps.Equal(cursors, p.saved)
	p.mu.Unlock()
	if same {
		return nil
	}
	if err := saveCursors(p.cfg.CursorPath, cursors); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for db, pos := range cursors {
		if _, live := p.cursors[db]; live && p.saved[db] != pos {
			p.eng.HoldLog(db, p.cfg.Name, heldPos(pos))
		}
	}
	p.saved = cursors
	return nil
}
