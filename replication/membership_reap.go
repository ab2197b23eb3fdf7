package replication

import "time"

// reapInterval is how often reapLoop looks for expired members: a tenth of
// the shorter retention, between 10 ms and one minute.
func (m *Membership) reapInterval() time.Duration {
	d := min(m.cfg.DeadReapTimeout, m.cfg.LeftRetention) / 10
	return min(max(d, 10*time.Millisecond), time.Minute)
}

// reapLoop forgets dead members after DeadReapTimeout and left members after
// LeftRetention, publishing EventMemberReap for each.
func (m *Membership) reapLoop() {
	defer m.wg.Done()
	t := time.NewTicker(m.reapInterval())
	defer t.Stop()
	for {
		select {
		case <-m.done:
			return
		case <-t.C:
			for _, gone := range m.table.reap(m.cfg.DeadReapTimeout, m.cfg.LeftRetention) {
				m.publish(EventMemberReap, gone)
			}
		}
	}
}
