package cluster

import (
	"fmt"
	"net/http"
	"sync"
)

// maxFailures is how many failed writes stop the load generators: the test
// fails anyway, and each failed QUORUM/ALL write may cost a prepare timeout.
const maxFailures = 6

// consistencies are cycled through by the load generators.
var consistencies = []string{"one", "quorum", "all"}

// model is what clients were told: id → v of every row whose last
// acknowledged write left it present. Safe for concurrent use.
type model struct {
	mu   sync.Mutex
	rows map[int64]string
	ids  map[string][]int64 // ids minted, by node name
	errs []error
}

func newModel() *model { return &model{rows: map[int64]string{}, ids: map[string][]int64{}} }

func (m *model) set(id int64, v string) {
	m.mu.Lock()
	m.rows[id] = v
	m.mu.Unlock()
}

func (m *model) del(id int64) {
	m.mu.Lock()
	delete(m.rows, id)
	m.mu.Unlock()
}

func (m *model) minted(node string, id int64) {
	m.mu.Lock()
	m.ids[node] = append(m.ids[node], id)
	m.mu.Unlock()
}

func (m *model) fail(err error) {
	m.mu.Lock()
	m.errs = append(m.errs, err)
	m.mu.Unlock()
}

// snapshot copies the acknowledged rows.
func (m *model) snapshot() map[int64]string {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[int64]string, len(m.rows))
	for id, v := range m.rows {
		out[id] = v
	}
	return out
}

// count returns how many writes were acknowledged.
func (m *model) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := 0
	for _, ids := range m.ids {
		k += len(ids)
	}
	return k
}

// enough reports whether so many writes failed that the load should stop.
func (m *model) enough() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.errs) >= maxFailures
}

func (m *model) failures() []error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]error(nil), m.errs...)
}

// write runs one statement on n and returns the answer when it was 200;
// anything else is recorded as a failure.
func (m *model) write(n *Node, consistency, sql string, params ...any) (ExecResult, bool) {
	res, err := n.Exec("main", consistency, Stmt{SQL: sql, Params: params})
	if err == nil && res.Status != http.StatusOK {
		err = fmt.Errorf("status %d, error %+v", res.Status, res.Error)
	}
	if err != nil {
		m.fail(fmt.Errorf("%s %s %q %v: %w", n.Name, consistency, sql, params, err))
		return res, false
	}
	return res, true
}

// insert adds a row with a minted id and records it when acknowledged.
func (m *model) insert(n *Node, consistency, v string) (int64, bool) {
	res, ok := m.write(n, consistency, "INSERT INTO t(v) VALUES (?)", v)
	if !ok {
		return 0, false
	}
	id := res.Results[0].LastInsertID
	m.minted(n.Name, id)
	m.set(id, v)
	return id, true
}
