package engine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
)

// RegistryRecord is the last write of one named record of the registry: a
// small cluster-wide store of JSON values (MySQL accounts, for one) that
// replicates with last-write-wins on (HLC, Origin). A deletion is kept as a
// tombstone so that a node that missed it does not bring the record back.
type RegistryRecord struct {
	Value   json.RawMessage `json:"value,omitempty"`
	HLC     HLC             `json:"hlc"`
	Deleted bool            `json:"deleted,omitempty"`
	Origin  string          `json:"origin"`
}

// newerThan reports whether r wins over other.
func (r RegistryRecord) newerThan(other RegistryRecord) bool {
	return newer(r.HLC, r.Origin, other.HLC, other.Origin)
}

const registryFile = "registry.json"

// registry holds the records of every kind, persisted in registryFile.
type registry struct {
	mu       sync.Mutex
	path     string
	kinds    map[string]map[string]RegistryRecord // kind -> name -> record
	watchers []func(kind string)
}

// openRegistry reads registryFile in dir, if there is one.
func openRegistry(dir string) (*registry, error) {
	r := &registry{path: filepath.Join(dir, registryFile), kinds: map[string]map[string]RegistryRecord{}}
	data, err := os.ReadFile(r.path)
	if errors.Is(err, fs.ErrNotExist) {
		return r, nil
	}
	if err == nil {
		err = json.Unmarshal(data, &r.kinds)
	}
	if err != nil {
		return nil, fmt.Errorf("read registry: %w", err)
	}
	return r, nil
}

// RegistryPut stores value under kind and name, stamped now by this node.
func (e *Engine) RegistryPut(kind, name string, value json.RawMessage) error {
	var buf bytes.Buffer
	if err := json.Compact(&buf, value); err != nil {
		return Errorf(CodeInvalid, "registry %s %q: value is not JSON", kind, name)
	}
	return e.registryWrite(kind, name, RegistryRecord{Value: buf.Bytes()})
}

// RegistryDelete deletes the record of kind and name; the tombstone it
// leaves wins over older writes of other nodes.
func (e *Engine) RegistryDelete(kind, name string) error {
	return e.registryWrite(kind, name, RegistryRecord{Deleted: true})
}

// registryWrite stamps rec, stores it, and returns once the reachable peers
// have it too.
func (e *Engine) registryWrite(kind, name string, rec RegistryRecord) error {
	if kind == "" || name == "" {
		return Errorf(CodeInvalid, "registry record without a kind or a name")
	}
	r := e.registry
	r.mu.Lock()
	rec.HLC, rec.Origin = e.clock.Now(), e.NodeID() // stamped under the lock: commits keep HLC order
	change := map[string]map[string]RegistryRecord{kind: {name: rec}}
	err := r.commitLocked(change)
	r.mu.Unlock()
	if err != nil {
		return err
	}
	e.tellPeers(nil, change)
	return nil
}

// commitLocked saves the registry with changes applied, then keeps them;
// on error nothing changes. The caller holds r.mu.
func (r *registry) commitLocked(changes map[string]map[string]RegistryRecord) error {
	next := make(map[string]map[string]RegistryRecord, len(r.kinds)+len(changes))
	for kind, recs := range r.kinds {
		next[kind] = recs
	}
	for kind, recs := range changes {
		merged := make(map[string]RegistryRecord, len(next[kind])+len(recs))
		for name, rec := range next[kind] {
			merged[name] = rec
		}
		for name, rec := range recs {
			merged[name] = rec
		}
		next[kind] = merged
	}
	data, err := json.Marshal(next) // compact: values read back byte for byte
	if err == nil {
		err = WriteFileAtomic(r.path, data)
	}
	if err != nil {
		return fmt.Errorf("write registry: %w", err)
	}
	r.kinds = next
	return nil
}

// Registry returns the live (not deleted) records of kind.
func (e *Engine) Registry(kind string) map[string]RegistryRecord {
	r := e.registry
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]RegistryRecord{}
	for name, rec := range r.kinds[kind] {
		if !rec.Deleted {
			out[name] = rec
		}
	}
	return out
}

// RegistryAll returns every record of every kind, tombstones included: what
// anti-entropy sends to other nodes.
func (e *Engine) RegistryAll() map[string]map[string]RegistryRecord {
	r := e.registry
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]map[string]RegistryRecord, len(r.kinds))
	for kind, recs := range r.kinds {
		out[kind] = make(map[string]RegistryRecord, len(recs))
		for name, rec := range recs {
			out[kind][name] = rec
		}
	}
	return out
}

// MergeRegistry keeps the records of another node that win over this
// node's, and returns the kinds it changed, sorted. Callbacks registered
// with OnRegistryChange run for each of them once the merge is saved.
func (e *Engine) MergeRegistry(remote map[string]map[string]RegistryRecord) ([]string, error) {
	r := e.registry
	r.mu.Lock()
	changes := map[string]map[string]RegistryRecord{}
	for kind, recs := range remote {
		for name, rec := range recs {
			if kind == "" || name == "" || (!rec.Deleted && !json.Valid(rec.Value)) {
				continue
			}
			e.clock.Observe(rec.HLC)
			if cur, ok := r.kinds[kind][name]; ok && !rec.newerThan(cur) {
				continue
			}
			if changes[kind] == nil {
				changes[kind] = map[string]RegistryRecord{}
			}
			changes[kind][name] = rec
		}
	}
	var err error
	if len(changes) > 0 {
		err = r.commitLocked(changes)
	}
	watchers := r.watchers
	r.mu.Unlock()
	if err != nil || len(changes) == 0 {
		return nil, err
	}
	kinds := make([]string, 0, len(changes))
	for kind := range changes {
		kinds = append(kinds, kind)
	}
	sort.Strings(kinds)
	for _, kind := range kinds {
		for _, fn := range watchers {
			fn(kind)
		}
	}
	return kinds, nil
}

// OnRegistryChange registers fn to run after a merge changed records of a
// kind. It runs on the merging goroutine, with no engine lock held.
func (e *Engine) OnRegistryChange(fn func(kind string)) {
	r := e.registry
	r.mu.Lock()
	defer r.mu.Unlock()
	r.watchers = append(r.watchers[:len(r.watchers):len(r.watchers)], fn)
}
