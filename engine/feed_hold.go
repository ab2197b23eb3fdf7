package engine

import "sync"

// logHolds keeps change sets from GC on behalf of feed readers that must
// not miss any (a publisher whose broker is down): GC never removes a set
// past the lowest position a holder has not yet consumed.
type logHolds struct {
	mu sync.Mutex
	by map[string]map[string]int64 // db -> holder -> last consumed position
}

// HoldLog asks GC to keep the change sets of db after position pos for
// holder (one hold per holder and database; a new call moves it). A holder
// that stops needing the log calls ReleaseLog.
func (e *Engine) HoldLog(db, holder string, pos int64) {
	e.holds.mu.Lock()
	defer e.holds.mu.Unlock()
	if e.holds.by == nil {
		e.holds.by = map[string]map[string]int64{}
	}
	if e.holds.by[db] == nil {
		e.holds.by[db] = map[string]int64{}
	}
	e.holds.by[db][holder] = pos
}

// ReleaseLog drops holder's hold on db's log.
func (e *Engine) ReleaseLog(db, holder string) {
	e.holds.mu.Lock()
	defer e.holds.mu.Unlock()
	delete(e.holds.by[db], holder)
}

// floor returns the highest position GC may remove in db (-1: no limit).
func (h *logHolds) floor(db string) int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	low := int64(-1)
	for _, pos := range h.by[db] {
		if low < 0 || pos < low {
			low = pos
		}
	}
	return low
}
