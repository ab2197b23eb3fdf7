package mysqlwire

import (
	"container/list"
	"sync"
)

// maxCachedSQL is the longest statement text the cache keeps: long texts are
// almost always multi-row INSERTs with inline values, which never repeat.
const maxCachedSQL = 8 << 10

// cached is one translation: a plan whose text may still contain holes for
// session values, or the error the statement always gets.
type cached struct {
	plan  Plan
	holes bool // some text of plan has holes to fill (see translate_template.go)
	err   error
}

// planCache is a bounded LRU of translations, safe for concurrent use.
type planCache struct {
	mu    sync.Mutex
	size  int
	order *list.List // of *cacheEntry, most recent first
	byKey map[cacheKey]*list.Element
}

type cacheEntry struct {
	key cacheKey
	val *cached
}

func newPlanCache(size int) *planCache {
	return &planCache{size: size, order: list.New(), byKey: make(map[cacheKey]*list.Element, size)}
}

// get returns the translation cached for k, if any.
func (c *planCache) get(k cacheKey) (*cached, bool) {
	if c.size <= 0 || len(k.sql) > maxCachedSQL {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[k]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*cacheEntry).val, true
}

// put remembers v for k, evicting the least recently used entry when full.
func (c *planCache) put(k cacheKey, v *cached) {
	if c.size <= 0 || len(k.sql) > maxCachedSQL {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[k]; ok {
		el.Value.(*cacheEntry).val = v
		c.order.MoveToFront(el)
		return
	}
	c.byKey[k] = c.order.PushFront(&cacheEntry{key: k, val: v})
	for c.order.Len() > c.size {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.byKey, last.Value.(*cacheEntry).key)
	}
}

// len returns the number of cached translations.
func (c *planCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
