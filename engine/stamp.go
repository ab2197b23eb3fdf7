package engine

import "fmt"

// stamp turns the row changes captured since the last stamp into one change
// set of this node: it assigns the next sequence and an HLC reading, records
// the log entry, the row versions and the vector. It returns nil when nothing
// was captured. It runs inside the current savepoint.
func (w *writer) stamp() (*ChangeSet, error) {
	pos := w.pos + 1
	if err := execArgs(w.conn, "UPDATE __warren_changes SET pos = ? WHERE pos IS NULL", pos); err != nil {
		return nil, fmt.Errorf("stamp changes: %w", err)
	}
	if w.conn.Changes() == 0 && w.pendingDDL == 0 {
		return nil, nil
	}
	ddl := w.pendingDDL > 0
	if ddl {
		if err := execArgs(w.conn, "UPDATE __warren_schema SET pos = ? WHERE pos IS NULL", pos); err != nil {
			return nil, fmt.Errorf("stamp schema changes: %w", err)
		}
		w.pendingDDL = 0
	}
	cs := &ChangeSet{Origin: w.db.node, Seq: w.seq + 1, HLC: w.db.clock.Now(), SchemaVersion: w.schemaVer, Pos: pos}
	if err := w.record(cs); err != nil {
		return nil, err
	}
	if err := execArgs(w.conn, `INSERT INTO __warren_versions(tbl, pk, hlc, origin, state, image)
		SELECT tbl, pk, ?2, ?3, iif(op = 'd', 1, 0), NULL FROM __warren_changes WHERE pos = ?1 ORDER BY id
		ON CONFLICT(tbl, pk) DO UPDATE SET hlc = excluded.hlc, origin = excluded.origin, state = excluded.state, image = NULL`,
		pos, int64(cs.HLC), cs.Origin); err != nil {
		return nil, fmt.Errorf("record row versions: %w", err)
	}
	if w.db.repl() != nil { // only replication reads the set back
		var err error
		if ddl { // the schema log has no index on pos: read it only when this set carries DDL
			err = fillChangeSet(w.conn, cs)
		} else {
			cs.Changes, err = readChanges(w.conn, cs.Pos)
		}
		if err != nil {
			return nil, err
		}
	}
	w.stamped = append(w.stamped, cs)
	return cs, nil
}

// record writes a change set's log entry and advances the vector.
func (w *writer) record(cs *ChangeSet) error {
	if err := execArgs(w.conn, "INSERT INTO __warren_log(pos, origin, seq, hlc, schema_version) VALUES (?, ?, ?, ?, ?)",
		cs.Pos, cs.Origin, int64(cs.Seq), int64(cs.HLC), cs.SchemaVersion); err != nil {
		return fmt.Errorf("record change set: %w", err)
	}
	w.pos = cs.Pos
	if cs.Origin == w.db.node {
		w.seq = cs.Seq
	}
	return w.advanceVector(cs.Origin, cs.Seq)
}

// advanceVector records that seq of origin is now in the log, moving the
// vector entry past every contiguous sequence (a set that arrived early may
// fill a gap behind later ones).
func (w *writer) advanceVector(origin string, seq uint64) error {
	if seq != w.vector[origin]+1 {
		if seq > w.early[origin] {
			w.early[origin] = seq // a gap remains behind it
		}
		return nil
	}
	for seq < w.early[origin] { // sets past the gap may follow this one
		n, err := queryInt(w.conn, "SELECT count(*) FROM __warren_log WHERE origin = ? AND seq = ?", origin, int64(seq+1))
		if err != nil {
			return fmt.Errorf("read log: %w", err)
		}
		if n == 0 {
			break
		}
		seq++
	}
	w.vector[origin] = seq
	return nil
}

// readEarly finds, per origin, the highest sequence the log holds past the
// vector (sets that arrived before the ones in a gap).
func (w *writer) readEarly() (Vector, error) {
	rows, err := queryAll(w.conn, "SELECT origin, max(seq) FROM __warren_log GROUP BY origin")
	if err != nil {
		return nil, fmt.Errorf("read log: %w", err)
	}
	early := Vector{}
	for _, r := range rows {
		if seq := uint64(r[1].(int64)); seq > w.vector[r[0].(string)] {
			early[r[0].(string)] = seq
		}
	}
	return early, nil
}

// beforeCommit finishes a write transaction: it brings back shadowed rows
// the transaction's changes freed, and stores the vector entries that moved
// (once per transaction rather than once per change set).
func (w *writer) beforeCommit() error {
	if err := w.reinstateShadowed(); err != nil {
		return err
	}
	for origin, seq := range w.vector {
		if w.flushed[origin] == seq {
			continue
		}
		if err := execArgs(w.conn, "INSERT INTO __warren_vector(origin, seq) VALUES (?, ?) ON CONFLICT(origin) DO UPDATE SET seq = excluded.seq",
			origin, int64(seq)); err != nil {
			return fmt.Errorf("store vector: %w", err)
		}
	}
	return nil
}

// afterCommit records what the committed transaction stored.
func (w *writer) afterCommit() {
	w.flushed = w.vector.Clone()
	w.db.checkpointAfterCommit(w.conn)
}
