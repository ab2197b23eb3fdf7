package engine

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// stagingStore keeps the change sets this node staged for other nodes'
// QUORUM/ALL writes: in memory, and in an append-only log of its own
// (staging.log) from which they come back after a restart. It must not
// share the databases' writers: a coordinator holds its database's write
// transaction open while it waits for acks, so if participants staged
// through their own writers, two nodes writing at QUORUM at once would each
// wait for the other until the prepare timeout.
//
// Staged sets live for a round trip, so the log is mostly dead records: it
// is rewritten with only the live ones once it is both larger than
// compactMinBytes and compactRatio times larger than they are.
type stagingStore struct {
	mu     sync.Mutex
	log    *stagingLog
	sets   map[slotKey]*stagedEntry // every staged set
	live   int64                    // bytes of the live sets' records
	early  map[stagedKey]earlyOutcome
	swept  time.Time // last sweep of expired early outcomes
	buf    []byte    // records being written, reused; drops may wait here for the next write (flush)
	logger *slog.Logger
}

type stagedKey struct {
	db string
	id SetID
}

// slotKey names a staged set's place: the store holds one set per origin
// sequence, whatever its HLC.
type slotKey struct {
	db, origin string
	seq        uint64
}

type stagedEntry struct {
	cs       *ChangeSet
	received time.Time
	size     int64 // bytes of its record in the log
}

const (
	compactMinBytes = 4 << 20
	compactRatio    = 4
)

// Record kinds of the staging log.
const (
	recordPut  = 'p' // db, received (unix ms), change set
	recordDrop = 'd' // db, origin, seq, hlc (0: any)
)

// openStagingStore opens the store in dir, replaying its log; sets staged
// by an older version in staging.sqlite are moved into the log.
func openStagingStore(dir, sync string, log *slog.Logger) (*stagingStore, error) {
	s := &stagingStore{sets: map[slotKey]*stagedEntry{}, early: map[stagedKey]earlyOutcome{}, logger: log}
	l, cut, err := openStagingLog(filepath.Join(dir, "staging.log"), sync == "full", s.replay)
	if err != nil {
		return nil, err
	}
	s.log = l
	if cut > 0 {
		log.Warn("cut a damaged tail off the staging log (a write a crash interrupted)", "bytes", cut)
	}
	if err := s.importLegacy(dir, log); err != nil {
		l.close()
		return nil, err
	}
	return s, nil
}

func (s *stagingStore) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.log.write(s.buf, false); err != nil { // deferred drops
		s.logger.Warn("write the staging log's last drops; their sets are resolved again after the restart", "err", err)
	}
	s.buf = s.buf[:0]
	s.log.close()
}

// replay applies one record read back from the log.
func (s *stagingStore) replay(payload []byte) error {
	if len(payload) == 0 {
		return fmt.Errorf("%w: empty staging record", ErrBadChangeSet)
	}
	d := codecReader{b: payload[1:]}
	db := d.string("db")
	switch payload[0] {
	case recordPut:
		received := time.UnixMilli(d.varint("received"))
		cs := d.changeSet()
		if d.err != nil {
			return d.err
		}
		s.keep(db, cs, received, int64(len(payload)+logRecordHeader))
	case recordDrop:
		origin, seq, hlc := d.string("origin"), d.uvarint("seq"), HLC(d.uvarint("hlc"))
		if d.err != nil {
			return d.err
		}
		s.forget(slotKey{db, origin, seq}, hlc)
	default:
		return fmt.Errorf("%w: unknown staging record", ErrBadChangeSet)
	}
	return nil
}

// keep makes cs the staged set of its slot.
func (s *stagingStore) keep(db string, cs *ChangeSet, received time.Time, size int64) {
	k := slotKey{db, cs.Origin, cs.Seq}
	if old, ok := s.sets[k]; ok {
		s.live -= old.size
	}
	s.sets[k] = &stagedEntry{cs: cs, received: received, size: size}
	s.live += size
}

// forget drops the staged set of a slot (any HLC when hlc is 0) and
// reports whether it was there.
func (s *stagingStore) forget(k slotKey, hlc HLC) bool {
	e, ok := s.sets[k]
	if !ok || (hlc != 0 && e.cs.HLC != hlc) {
		return false
	}
	delete(s.sets, k)
	s.live -= e.size
	return true
}

// appendPut adds a put record for cs to s.buf and returns its size.
func (s *stagingStore) appendPut(db string, cs *ChangeSet, received time.Time) int64 {
	start := len(s.buf)
	payload := appendString([]byte{recordPut}, db)
	payload = binary.AppendVarint(payload, received.UnixMilli())
	s.buf = appendRecord(s.buf, AppendChangeSet(payload, cs))
	return int64(len(s.buf) - start)
}

// appendDrop adds a drop record to s.buf.
func (s *stagingStore) appendDrop(k slotKey, hlc HLC) {
	payload := appendString([]byte{recordDrop}, k.db)
	payload = appendString(payload, k.origin)
	payload = binary.AppendUvarint(payload, k.seq)
	s.buf = appendRecord(s.buf, binary.AppendUvarint(payload, uint64(hlc)))
}

// deferredBytes bounds the records a flush that is not durable may leave
// in s.buf for the next write.
const deferredBytes = 64 << 10

// flush writes the records in s.buf; durable ones are synced when the
// store syncs. Records that need no sync (drops: a set that comes back
// staged after a crash is resolved again, with the same result) wait for
// the next write, up to deferredBytes, so that a busy participant writes the
// log once per PREPARE rather than also once per COMMIT. s.mu must be held.
func (s *stagingStore) flush(durable bool) error {
	if !durable && len(s.buf) < deferredBytes {
		return nil
	}
	err := s.log.write(s.buf, durable)
	s.buf = s.buf[:0]
	if err == nil && s.log.size > compactMinBytes && s.log.size > compactRatio*s.live {
		err = s.compact()
	}
	return err
}

// compact rewrites the log with only the live sets. s.mu must be held.
func (s *stagingStore) compact() error {
	s.buf = s.buf[:0]
	s.live = 0
	for k, e := range s.sets {
		e.size = s.appendPut(k.db, e.cs, e.received)
		s.live += e.size
	}
	err := s.log.rewrite(s.buf)
	s.buf = s.buf[:0]
	return err
}

// put stages sets with one write. It returns the sets whose outcome
// already arrived: committed ones to apply now.
func (s *stagingStore) put(db string, sets []*ChangeSet) (apply []*ChangeSet, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	type pending struct {
		cs   *ChangeSet
		size int64
		o    outcome
	}
	var kept []pending
	for _, cs := range sets {
		o := s.takeEarly(stagedKey{db, cs.ID()})
		if o == outcomeAborted {
			continue
		}
		kept = append(kept, pending{cs, s.appendPut(db, cs, now), o})
	}
	if err := s.flush(true); err != nil {
		for _, p := range kept {
			if p.o != outcomeNone {
				s.early[stagedKey{db, p.cs.ID()}] = earlyOutcome{o: p.o, at: now}
			}
		}
		return nil, err
	}
	for _, p := range kept {
		s.keep(db, p.cs, now, p.size)
		if p.o == outcomeCommitted {
			apply = append(apply, p.cs)
		}
	}
	return apply, nil
}

// committed returns a staged set whose origin committed it, or, when it is
// not staged yet, remembers the commit for its prepare (put applies it) —
// in one critical section, so a prepare landing meanwhile cannot miss it.
func (s *stagingStore) committed(db string, id SetID) (*ChangeSet, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.sets[slotKey{db, id.Origin, id.Seq}]; ok && e.cs.HLC == id.HLC {
		return e.cs, nil
	}
	s.rememberLocked(db, id, outcomeCommitted)
	return nil, nil
}

// aborted drops a staged set whose origin rolled it back, or remembers the
// abort for its prepare, in one critical section.
func (s *stagingStore) aborted(db string, id SetID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := slotKey{db, id.Origin, id.Seq}
	if !s.forget(k, id.HLC) {
		s.rememberLocked(db, id, outcomeAborted)
		return nil
	}
	s.appendDrop(k, id.HLC)
	return s.flush(false)
}

// dropApplied removes, with one write, the staged copies of sets that were
// applied (any HLC: an applied sequence leaves nothing to stage). Its
// records need no sync: a set that comes back staged after a crash is
// already applied, and resolving it changes nothing.
func (s *stagingStore) dropApplied(db string, sets []*ChangeSet) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, cs := range sets {
		k := slotKey{db, cs.Origin, cs.Seq}
		if s.forget(k, 0) {
			s.appendDrop(k, 0)
		}
	}
	return s.flush(false)
}

// list returns the staged sets of db received before cutoff, by origin and
// sequence.
func (s *stagingStore) list(db string, cutoff time.Time) ([]StagedSet, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []StagedSet
	for k, e := range s.sets {
		if k.db == db && e.received.Before(cutoff) {
			out = append(out, StagedSet{SetID: e.cs.ID(), Received: e.received})
		}
	}
	slices.SortFunc(out, func(a, b StagedSet) int {
		return cmp.Or(strings.Compare(a.Origin, b.Origin), cmp.Compare(a.Seq, b.Seq))
	})
	return out, nil
}

// count returns how many sets are staged for db.
func (s *stagingStore) count(db string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for k := range s.sets {
		if k.db == db {
			n++
		}
	}
	return n
}

// expire drops staged sets received before cutoff (GC of sets whose origin
// never answered).
func (s *stagingStore) expire(db string, cutoff time.Time) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var n int64
	for k, e := range s.sets {
		if k.db == db && e.received.Before(cutoff) {
			s.forget(k, 0)
			s.appendDrop(k, 0)
			n++
		}
	}
	return n, s.flush(true)
}

// rememberLocked records an outcome that arrived before its prepare; s.mu
// must be held.
func (s *stagingStore) rememberLocked(db string, id SetID, o outcome) {
	now := time.Now()
	if now.Sub(s.swept) > earlyTTL/4 { // sweep now and then, not on every outcome
		for k, v := range s.early {
			if now.Sub(v.at) > earlyTTL {
				delete(s.early, k)
			}
		}
		s.swept = now
	}
	s.early[stagedKey{db, id}] = earlyOutcome{o: o, at: now}
}

func (s *stagingStore) takeEarly(k stagedKey) outcome {
	v, ok := s.early[k]
	if !ok {
		return outcomeNone
	}
	delete(s.early, k)
	return v.o
}
