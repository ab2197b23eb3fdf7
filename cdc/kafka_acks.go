package cdc

import "sync"

// kafkaAcks collects the outcomes of one batch's records, which the Kafka
// client reports from its own goroutines, possibly after Publish returned.
type kafkaAcks struct {
	mu   sync.Mutex
	done []bool
	errs []error
	left int
	all  chan struct{} // closed when every record has an outcome
}

func newKafkaAcks(n int) *kafkaAcks {
	a := &kafkaAcks{done: make([]bool, n), errs: make([]error, n), left: n, all: make(chan struct{})}
	if n == 0 {
		close(a.all)
	}
	return a
}

// set records the outcome of record i.
func (a *kafkaAcks) set(i int, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.done[i] {
		return
	}
	a.done[i], a.errs[i] = true, err
	if a.left--; a.left == 0 {
		close(a.all)
	}
}

// prefix returns how many leading records were acknowledged, and the error
// of the first that failed, if any (nil when it is still in flight).
func (a *kafkaAcks) prefix() (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for i, ok := range a.done {
		if !ok || a.errs[i] != nil {
			return i, a.errs[i]
		}
	}
	return len(a.done), nil
}
