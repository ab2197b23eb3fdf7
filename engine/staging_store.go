package engine

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/warren-db/warren/engine/internal/sqlite3"
)

// stagingStore keeps the change sets this node staged for other nodes'
// QUORUM/ALL writes, in a SQLite file of its own (staging.sqlite). It must
// not share the databases' writers: a coordinator holds its database's write
// transaction open while it waits for acks, so if participants staged
// through their own writers, two nodes writing at QUORUM at once would each
// wait for the other until the prepare timeout.
type stagingStore struct {
	mu    sync.Mutex
	conn  *sqlite3.Conn
	mem   map[slotKey]*ChangeSet // decoded copies of what this process staged
	early map[stagedKey]earlyOutcome
	swept time.Time // last sweep of expired early outcomes
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

const stagingSchema = `
PRAGMA journal_mode=WAL;
PRAGMA synchronous=NORMAL;
CREATE TABLE IF NOT EXISTS staged(
  db TEXT NOT NULL,
  origin TEXT NOT NULL,
  seq INTEGER NOT NULL,
  hlc INTEGER NOT NULL,
  body TEXT NOT NULL,
  received INTEGER NOT NULL,
  PRIMARY KEY(db, origin, seq)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS staged_received ON staged(received);
`

func openStagingStore(dir string, sync string) (*stagingStore, error) {
	c, err := sqlite3.Open(filepath.Join(dir, "staging.sqlite"), sqlite3.OpenReadWrite|sqlite3.OpenCreate)
	if err != nil {
		return nil, fmt.Errorf("open staging store: %w", err)
	}
	c.SetBusyTimeout(5000)
	schema := stagingSchema
	if sync == "full" {
		schema += "PRAGMA synchronous=FULL;"
	}
	if err := c.Exec(schema); err != nil {
		c.Close()
		return nil, fmt.Errorf("create staging store: %w", err)
	}
	return &stagingStore{conn: c, mem: map[slotKey]*ChangeSet{}, early: map[stagedKey]earlyOutcome{}}, nil
}

func (s *stagingStore) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conn.Close()
}

// put stores sets in one transaction. It returns the sets whose outcome
// already arrived: committed ones to apply now.
func (s *stagingStore) put(db string, sets []*ChangeSet) (apply []*ChangeSet, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.conn.Exec("BEGIN IMMEDIATE"); err != nil {
		return nil, sqlError(err)
	}
	for _, cs := range sets {
		k := stagedKey{db, cs.ID()}
		o := s.takeEarly(k)
		if o == outcomeAborted {
			continue
		}
		if err := s.insert(db, cs); err != nil {
			s.conn.Exec("ROLLBACK")
			return nil, err
		}
		if o == outcomeCommitted {
			apply = append(apply, cs)
		}
	}
	if err := s.conn.Exec("COMMIT"); err != nil {
		s.conn.Exec("ROLLBACK")
		return nil, sqlError(err)
	}
	for _, cs := range sets {
		if len(s.mem) > maxStagedMem {
			clear(s.mem)
		}
		s.mem[slotKey{db, cs.Origin, cs.Seq}] = cs
	}
	return apply, nil
}

func (s *stagingStore) insert(db string, cs *ChangeSet) error {
	body, err := json.Marshal(cs)
	if err != nil {
		return fmt.Errorf("encode staged set: %w", err)
	}
	return execArgs(s.conn, `INSERT INTO staged(db, origin, seq, hlc, body, received) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT(db, origin, seq) DO UPDATE SET hlc = excluded.hlc, body = excluded.body, received = excluded.received`,
		db, cs.Origin, int64(cs.Seq), int64(cs.HLC), string(body), time.Now().UnixMilli())
}

// committed returns a staged set whose origin committed it, or, when it is
// not staged yet, remembers the commit for its prepare (put applies it) —
// in one critical section, so a prepare landing meanwhile cannot miss it.
func (s *stagingStore) committed(db string, id SetID) (*ChangeSet, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, err := s.getLocked(db, id)
	if err == nil && cs == nil {
		s.rememberLocked(db, id, outcomeCommitted)
	}
	return cs, err
}

// aborted drops a staged set whose origin rolled it back, or remembers the
// abort for its prepare, in one critical section.
func (s *stagingStore) aborted(db string, id SetID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	found, err := s.dropLocked(db, id.Origin, id.Seq, id.HLC)
	if err == nil && !found {
		s.rememberLocked(db, id, outcomeAborted)
	}
	return err
}

// getLocked returns a staged set, or nil; s.mu must be held. The decoded
// copy kept in memory is authoritative while it is there: every removal
// from the table removes it.
func (s *stagingStore) getLocked(db string, id SetID) (*ChangeSet, error) {
	if cs, ok := s.mem[slotKey{db, id.Origin, id.Seq}]; ok && cs.HLC == id.HLC {
		return cs, nil
	}
	rows, err := queryAll(s.conn, "SELECT body FROM staged WHERE db = ? AND origin = ? AND seq = ? AND hlc = ?",
		db, id.Origin, int64(id.Seq), int64(id.HLC))
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	var cs ChangeSet
	if err := json.Unmarshal([]byte(rows[0][0].(string)), &cs); err != nil {
		return nil, fmt.Errorf("decode staged set: %w", err)
	}
	return &cs, nil
}

// drop removes a staged set (any HLC when hlc is 0) and reports whether it was there.
func (s *stagingStore) drop(db, origin string, seq uint64, hlc HLC) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dropLocked(db, origin, seq, hlc)
}

func (s *stagingStore) dropLocked(db, origin string, seq uint64, hlc HLC) (bool, error) {
	q, args := "DELETE FROM staged WHERE db = ? AND origin = ? AND seq = ?", []any{db, origin, int64(seq)}
	if hlc != 0 {
		q, args = q+" AND hlc = ?", append(args, int64(hlc))
	}
	if err := execArgs(s.conn, q, args...); err != nil {
		return false, fmt.Errorf("drop staged set: %w", err)
	}
	found := s.conn.Changes() > 0
	k := slotKey{db, origin, seq}
	if cs, ok := s.mem[k]; ok && (hlc == 0 || cs.HLC == hlc) {
		delete(s.mem, k)
	}
	return found, nil
}

// dropApplied removes, in one transaction, the staged copies of sets that
// were applied (any HLC: an applied sequence leaves nothing to stage).
func (s *stagingStore) dropApplied(db string, sets []*ChangeSet) error {
	if len(sets) == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.conn.Exec("BEGIN IMMEDIATE"); err != nil {
		return fmt.Errorf("drop staged sets: %w", sqlError(err))
	}
	for _, cs := range sets {
		if err := execArgs(s.conn, "DELETE FROM staged WHERE db = ? AND origin = ? AND seq = ?", db, cs.Origin, int64(cs.Seq)); err != nil {
			s.conn.Exec("ROLLBACK")
			return fmt.Errorf("drop staged set: %w", err)
		}
		delete(s.mem, slotKey{db, cs.Origin, cs.Seq})
	}
	if err := s.conn.Exec("COMMIT"); err != nil {
		s.conn.Exec("ROLLBACK")
		return fmt.Errorf("drop staged sets: %w", sqlError(err))
	}
	return nil
}

// list returns the staged sets of db received before cutoff.
func (s *stagingStore) list(db string, cutoff time.Time) ([]StagedSet, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rows, err := queryAll(s.conn, "SELECT origin, seq, hlc, received FROM staged WHERE db = ? AND received < ? ORDER BY origin, seq",
		db, cutoff.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("list staged sets: %w", err)
	}
	out := make([]StagedSet, len(rows))
	for i, r := range rows {
		out[i] = StagedSet{SetID: SetID{Origin: r[0].(string), Seq: uint64(r[1].(int64)), HLC: HLC(r[2].(int64))},
			Received: time.UnixMilli(r[3].(int64))}
	}
	return out, nil
}

// expire drops staged sets received before cutoff (GC of sets whose origin
// never answered).
func (s *stagingStore) expire(db string, cutoff time.Time) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := execArgs(s.conn, "DELETE FROM staged WHERE db = ? AND received < ?", db, cutoff.UnixMilli())
	n := s.conn.Changes()
	if n > 0 {
		clear(s.mem) // rare: forget the decoded copies rather than look for the expired ones
	}
	return n, err
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
