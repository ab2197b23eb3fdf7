package sqlparse

import (
	"container/list"
	"fmt"
	"strings"
	"sync"
)

// DefaultCacheSize is the number of statements a Cache holds when NewCache is
// given a size of zero or less.
const DefaultCacheSize = 4096

// MaxCachedLen is the longest statement text, in bytes, that a Cache keeps.
// Longer texts (bulk inserts with inline values) are rarely repeated, so they
// are analyzed on every call instead of crowding out short, hot statements.
const MaxCachedLen = 16 << 10

// Cache is Analyze and RewriteInsert with a bounded LRU of analyses keyed by
// statement text. It is safe for concurrent use.
type Cache struct {
	mu    sync.Mutex
	size  int
	order *list.List               // most recently used first; values are *cacheEntry
	byKey map[string]*list.Element // statement text to its element in order
}

// cacheEntry is one analyzed statement text.
type cacheEntry struct {
	key string
	a   *analysis
	err error
}

// NewCache returns a Cache that holds up to size statements.
func NewCache(size int) *Cache {
	if size <= 0 {
		size = DefaultCacheSize
	}
	return &Cache{size: size, order: list.New(), byKey: make(map[string]*list.Element, size)}
}

// Analyze is the package function Analyze, cached. The Info shares slices with
// the cache; they must not be modified.
func (c *Cache) Analyze(sql string) (Info, error) {
	a, err := c.analysis(sql)
	if err != nil {
		return Info{}, err
	}
	return a.info, nil
}

// RewriteInsert is the package function RewriteInsert, with the statement's
// analysis cached. The rewrite itself depends on t and ids, so it runs every
// time, without parsing.
func (c *Cache) RewriteInsert(sql string, t Target, ids IDFunc) (string, bool, error) {
	a, err := c.analysis(sql)
	if err != nil {
		return "", false, fmt.Errorf("rewrite insert: %w", err)
	}
	return a.rewriteInsert(sql, t, ids)
}

// Len returns the number of statements in the cache.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// analysis returns the cached analysis of sql, analyzing it on a miss. The
// analysis runs outside the lock, so two goroutines may both analyze a new
// text; the results are equal and either may be kept.
func (c *Cache) analysis(sql string) (*analysis, error) {
	if e, ok := c.get(sql); ok {
		return e.a, e.err
	}
	a, err := analyze(sql)
	if len(sql) <= MaxCachedLen {
		// Clone the key: sql may be a slice of a larger script.
		c.put(&cacheEntry{key: strings.Clone(sql), a: a, err: err})
	}
	return a, err
}

// get returns the entry for key and marks it most recently used.
func (c *Cache) get(key string) (*cacheEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*cacheEntry), true
}

// put adds e, evicting the least recently used entry when full.
func (c *Cache) put(e *cacheEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[e.key]; ok {
		c.order.MoveToFront(el)
		return
	}
	c.byKey[e.key] = c.order.PushFront(e)
	if c.order.Len() > c.size {
		oldest := c.order.Back()
		c.order.Remove(oldest)
		delete(c.byKey, oldest.Value.(*cacheEntry).key)
	}
}
