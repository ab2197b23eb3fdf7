package sqlite3

import "container/list"

// stmtCache keeps up to max idle prepared statements of one connection,
// evicting the least recently used. A statement in use is not in the cache.
type stmtCache struct {
	max   int
	order *list.List // of *Stmt, most recent at the front
	byKey map[string]*list.Element
}

func newStmtCache(max int) *stmtCache {
	return &stmtCache{max: max, order: list.New(), byKey: make(map[string]*list.Element)}
}

func (c *stmtCache) take(key string) *Stmt {
	el, ok := c.byKey[key]
	if !ok {
		return nil
	}
	delete(c.byKey, key)
	c.order.Remove(el)
	return el.Value.(*Stmt)
}

func (c *stmtCache) put(s *Stmt) {
	if _, dup := c.byKey[s.key]; dup {
		s.Finalize()
		return
	}
	c.byKey[s.key] = c.order.PushFront(s)
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		st := last.Value.(*Stmt)
		delete(c.byKey, st.key)
		st.Finalize()
	}
}

func (c *stmtCache) clear() {
	for el := c.order.Front(); el != nil; el = el.Next() {
		el.Value.(*Stmt).Finalize()
	}
	c.order.Init()
	c.byKey = make(map[string]*list.Element)
}
