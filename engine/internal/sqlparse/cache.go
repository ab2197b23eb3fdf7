package sqlparse

import (
	"container/list"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
)

// DefaultCacheSize is the number of statements a Cache holds when NewCache is
// given a size of zero or less.
const DefaultCacheSize = 4096

// MaxCachedLen is the longest statement text, in bytes, that a Cache keeps.
// Longer texts (bulk inserts with inline values) are rarely repeated, so they
// are analyzed on every call instead of crowding out short, hot statements.
const MaxCachedLen = 16 << 10

// Cache is Analyze, MintIDs and RewriteInsert with a bounded LRU of analyses
// keyed by statement text. It is safe for concurrent use.
type Cache struct {
	mu    sync.Mutex
	size  int
	order *list.List               // most recently used first; values are *cacheEntry
	byKey map[string]*list.Element // statement text to its element in order
}

// cacheEntry is one analyzed statement text.
type cacheEntry struct {
	key  string
	a    *analysis
	err  error
	memo atomic.Pointer[rewriteMemo] // last MintIDs text with id parameters
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

// MintIDs is the package function MintIDs, with the statement's analysis
// cached. With t.IDParams set, the rewritten text of a statement that takes
// id parameters (or needs no ids) is cached too, for the last Target it was
// rewritten for, so a repeated call only reserves ids: it still calls ids
// once, with the same row count, whenever the statement needs ids.
func (c *Cache) MintIDs(sql string, t Target, ids IDFunc) (Rewrite, error) {
	e := c.entry(sql)
	if e.err != nil {
		return Rewrite{}, fmt.Errorf("rewrite insert: %w", e.err)
	}
	if m := e.memo.Load(); t.IDParams && m != nil && m.matches(t) {
		return m.rewrite(sql, ids)
	}
	r, err := e.a.mintIDs(sql, t, ids)
	if err == nil && t.IDParams && (r.IDParams > 0 || !r.Changed) {
		e.memo.Store(newRewriteMemo(t, r))
	}
	return r, err
}

// RewriteInsert is the package function RewriteInsert, with the statement's
// analysis cached. It always writes literal ids, so it rewrites every time.
func (c *Cache) RewriteInsert(sql string, t Target, ids IDFunc) (string, bool, error) {
	t.IDParams = false
	r, err := c.MintIDs(sql, t, ids)
	return r.SQL, r.Changed, err
}

// Len returns the number of statements in the cache.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// analysis returns the cached analysis of sql, analyzing it on a miss.
func (c *Cache) analysis(sql string) (*analysis, error) {
	e := c.entry(sql)
	return e.a, e.err
}

// entry returns the cache entry for sql, analyzing it on a miss. The analysis
// runs outside the lock, so two goroutines may both analyze a new text; the
// results are equal and either may be kept. A text longer than MaxCachedLen
// gets an entry that is not kept.
func (c *Cache) entry(sql string) *cacheEntry {
	if e, ok := c.get(sql); ok {
		return e
	}
	a, err := analyze(sql)
	e := &cacheEntry{a: a, err: err}
	if len(sql) <= MaxCachedLen {
		// Clone the key: sql may be a slice of a larger script.
		e.key = strings.Clone(sql)
		e = c.put(e)
	}
	return e
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

// put adds e, evicting the least recently used entry when full, and returns
// the entry kept for e.key: e, or one another goroutine put first.
func (c *Cache) put(e *cacheEntry) *cacheEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[e.key]; ok {
		c.order.MoveToFront(el)
		return el.Value.(*cacheEntry)
	}
	c.byKey[e.key] = c.order.PushFront(e)
	if c.order.Len() > c.size {
		oldest := c.order.Back()
		c.order.Remove(oldest)
		delete(c.byKey, oldest.Value.(*cacheEntry).key)
	}
	return e
}
