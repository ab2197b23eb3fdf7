package engine

import (
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/warren-db/warren/engine/internal/sqlite3"
)

func stagedSet(origin string, seq uint64, hlc HLC) *ChangeSet {
	return &ChangeSet{Origin: origin, Seq: seq, HLC: hlc, Changes: []RowChange{
		{Table: "t", Op: "c", PK: json.RawMessage(`[1]`), After: json.RawMessage(`{"id":1}`)}}}
}

func openStore(t *testing.T, dir string) *stagingStore {
	t.Helper()
	s, err := openStagingStore(dir, "normal", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.close)
	return s
}

func stagedIDs(t *testing.T, s *stagingStore, db string) []SetID {
	t.Helper()
	list, err := s.list(db, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var out []SetID
	for _, st := range list {
		out = append(out, st.SetID)
	}
	return out
}

// What was staged and not resolved comes back after a restart; what was
// applied, aborted or replaced does not.
func TestStagingStore_SurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	a, b, c, d := stagedSet("n1", 1, 10), stagedSet("n1", 2, 20), stagedSet("n2", 1, 30), stagedSet("n2", 2, 40)
	if _, err := s.put("main", []*ChangeSet{a, b, c, d}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.put("other", []*ChangeSet{a}); err != nil {
		t.Fatal(err)
	}
	replaced := stagedSet("n2", 2, 41) // the origin rolled 40 back and reused the sequence
	if _, err := s.put("main", []*ChangeSet{replaced}); err != nil {
		t.Fatal(err)
	}
	if err := s.dropApplied("main", []*ChangeSet{a}); err != nil {
		t.Fatal(err)
	}
	if err := s.aborted("main", b.ID()); err != nil {
		t.Fatal(err)
	}
	s.close()

	again := openStore(t, dir)
	want := []SetID{c.ID(), replaced.ID()}
	if got := stagedIDs(t, again, "main"); !reflect.DeepEqual(got, want) {
		t.Fatalf("after restart main holds %v, want %v", got, want)
	}
	if got := stagedIDs(t, again, "other"); !reflect.DeepEqual(got, []SetID{a.ID()}) {
		t.Fatalf("after restart other holds %v", got)
	}
	got, err := again.committed("main", c.ID())
	if err != nil || !reflect.DeepEqual(got, c) {
		t.Fatalf("the restored set differs: %+v (%v), want %+v", got, err, c)
	}
}

// A crash in the middle of a write leaves a torn record: the store opens
// with every complete record and cuts the rest, and later writes are read
// back after the next restart.
func TestStagingStore_CutsTornTail(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	a, b := stagedSet("n1", 1, 10), stagedSet("n1", 2, 20)
	if _, err := s.put("main", []*ChangeSet{a}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.put("main", []*ChangeSet{b}); err != nil {
		t.Fatal(err)
	}
	s.close()
	path := filepath.Join(dir, "staging.log")
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, st.Size()-3); err != nil {
		t.Fatal(err)
	}
	again := openStore(t, dir)
	if got := stagedIDs(t, again, "main"); !reflect.DeepEqual(got, []SetID{a.ID()}) {
		t.Fatalf("after a torn write the store holds %v, want only %v", got, a.ID())
	}
	c := stagedSet("n1", 3, 30)
	if _, err := again.put("main", []*ChangeSet{c}); err != nil {
		t.Fatal(err)
	}
	again.close()
	third := openStore(t, dir)
	if got := stagedIDs(t, third, "main"); !reflect.DeepEqual(got, []SetID{a.ID(), c.ID()}) {
		t.Fatalf("a write after the cut was lost: %v", got)
	}
}

// A damaged byte in the middle ends the log there: nothing after it is
// believed.
func TestStagingStore_DamagedRecordEndsTheLog(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	for seq := uint64(1); seq <= 3; seq++ {
		if _, err := s.put("main", []*ChangeSet{stagedSet("n1", seq, HLC(seq))}); err != nil {
			t.Fatal(err)
		}
	}
	size := s.log.size
	s.close()
	path := filepath.Join(dir, "staging.log")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data[size/3+logRecordHeader] ^= 0xff // inside the second record's payload
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	again := openStore(t, dir)
	if got := stagedIDs(t, again, "main"); len(got) != 1 || got[0].Seq != 1 {
		t.Fatalf("after damage the store holds %v, want only seq 1", got)
	}
}

// The log is rewritten with only the live sets once it is mostly dead
// records; nothing live is lost.
func TestStagingStore_Compacts(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	keep := stagedSet("n9", 1, 1)
	if _, err := s.put("main", []*ChangeSet{keep}); err != nil {
		t.Fatal(err)
	}
	big := stagedSet("n1", 0, 0)
	big.Changes[0].After = json.RawMessage(`{"v":"` + strings.Repeat("x", 64<<10) + `"}`)
	var maxSize int64
	for seq := uint64(1); seq <= 200; seq++ {
		big.Seq, big.HLC = seq, HLC(seq)
		if _, err := s.put("main", []*ChangeSet{big}); err != nil {
			t.Fatal(err)
		}
		if err := s.dropApplied("main", []*ChangeSet{big}); err != nil {
			t.Fatal(err)
		}
		maxSize = max(maxSize, s.log.size)
	}
	if maxSize > 2*compactMinBytes {
		t.Fatalf("the log grew to %d bytes with one live set: never compacted", maxSize)
	}
	s.close()
	again := openStore(t, dir)
	if got := stagedIDs(t, again, "main"); !reflect.DeepEqual(got, []SetID{keep.ID()}) {
		t.Fatalf("after compaction the store holds %v, want %v", got, keep.ID())
	}
}

// Sets an older version staged in staging.sqlite move into the log, and the
// old file goes.
func TestStagingStore_ImportsOldSQLiteStore(t *testing.T) {
	dir := t.TempDir()
	c, err := sqlite3.Open(filepath.Join(dir, "staging.sqlite"), sqlite3.OpenReadWrite|sqlite3.OpenCreate)
	if err != nil {
		t.Fatal(err)
	}
	old := stagedSet("n1", 7, 70)
	body, _ := json.Marshal(old)
	if err := c.Exec(`CREATE TABLE staged(db TEXT NOT NULL, origin TEXT NOT NULL, seq INTEGER NOT NULL, hlc INTEGER NOT NULL,
		body TEXT NOT NULL, received INTEGER NOT NULL, PRIMARY KEY(db, origin, seq)) WITHOUT ROWID`); err != nil {
		t.Fatal(err)
	}
	if err := execArgs(c, "INSERT INTO staged VALUES ('main', 'n1', 7, 70, ?, ?)", string(body), time.Now().UnixMilli()); err != nil {
		t.Fatal(err)
	}
	c.Close()
	s := openStore(t, dir)
	got, err := s.committed("main", old.ID())
	if err != nil || !reflect.DeepEqual(got, old) {
		t.Fatalf("imported set %+v (%v), want %+v", got, err, old)
	}
	if _, err := os.Stat(filepath.Join(dir, "staging.sqlite")); !os.IsNotExist(err) {
		t.Fatalf("the old store is still there: %v", err)
	}
	s.close()
	if got := stagedIDs(t, openStore(t, dir), "main"); !reflect.DeepEqual(got, []SetID{old.ID()}) {
		t.Fatalf("the imported set did not survive a restart: %v", got)
	}
}

// FuzzStagingReplay: whatever a damaged staging log holds, reading it back
// never panics.
func FuzzStagingReplay(f *testing.F) {
	s := &stagingStore{sets: map[slotKey]*stagedEntry{}}
	s.appendPut("main", stagedSet("n1", 1, 10), time.UnixMilli(5))
	s.appendDrop(slotKey{"main", "n1", 1}, 10)
	f.Add(s.buf)
	f.Add([]byte{0, 0, 0, 1, 0, 0, 0, 0, 'p'})
	f.Fuzz(func(t *testing.T, data []byte) {
		s := &stagingStore{sets: map[slotKey]*stagedEntry{}}
		n, err := replayRecords(data, s.replay)
		if err == nil && (n < 0 || n > int64(len(data))) {
			t.Fatalf("intact prefix %d of %d bytes", n, len(data))
		}
	})
}

// Drop records need no sync, so they wait for the next write (the next
// PREPARE's) instead of costing one of their own; a clean close writes
// them, and the log reads back the same either way.
func TestStagingStore_DropsWaitForTheNextWrite(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	a, b := stagedSet("n1", 1, 10), stagedSet("n1", 2, 20)
	if _, err := s.put("main", []*ChangeSet{a}); err != nil {
		t.Fatal(err)
	}
	size := s.log.size
	if err := s.dropApplied("main", []*ChangeSet{a}); err != nil {
		t.Fatal(err)
	}
	if s.log.size != size {
		t.Fatalf("a drop wrote %d bytes at once", s.log.size-size)
	}
	if _, err := s.put("main", []*ChangeSet{b}); err != nil {
		t.Fatal(err)
	}
	if err := s.dropApplied("main", []*ChangeSet{b}); err != nil {
		t.Fatal(err)
	}
	s.close()
	if got := stagedIDs(t, openStore(t, dir), "main"); len(got) != 0 {
		t.Fatalf("after restart main holds %v, want nothing: both sets were applied", got)
	}
}
