package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/warren-db/warren/engine/internal/sqlite3"
)

// Applying remote change sets: last-write-wins per row on (hlc, origin).
//
// For every key the highest version seen is kept in __warren_versions, with
// the row's state. The rows present in a table are always the unique result
// of this rule, whatever the delivery order: take the latest image of every
// key that is not deleted, in descending version order, and keep each one that
// does not collide on a UNIQUE index with a row already kept. A row that loses
// a collision is "shadowed": its image is kept, and it comes back if the row
// that beat it goes away. Deletes leave tombstones until GC.

// version is a row's last-write-wins version.
type version struct {
	hlc    HLC
	origin string
	state  int64
	found  bool
}

// beats reports whether v is at least as new as o: later changes of one key
// within a change set share its version and must apply in order.
func (v version) beats(o version) bool { return !o.found || !newer(o.hlc, o.origin, v.hlc, v.origin) }

// applySet applies one remote change set. It is idempotent.
func (w *writer) applySet(cs *ChangeSet) error {
	if held, err := w.holds(cs.Origin, cs.Seq); err != nil || held {
		return err
	}
	stored := *cs
	stored.Pos = w.pos + 1
	if err := w.applySchema(cs.Schema, stored.Pos); err != nil {
		return err
	}
	if cs.SchemaVersion > w.schemaVer {
		return Errorf(CodeUnavailable, "change set %s/%d needs schema version %d, this node has %d", cs.Origin, cs.Seq, cs.SchemaVersion, w.schemaVer)
	}
	w.db.clock.Observe(cs.HLC)
	lost := make([]bool, len(cs.Changes))
	err := w.muted(func() error {
		for i, ch := range cs.Changes {
			won, err := w.applyChange(cs, ch)
			if err != nil {
				return fmt.Errorf("apply change set %s/%d to %s: %w", cs.Origin, cs.Seq, ch.Table, err)
			}
			lost[i] = !won
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i, ch := range cs.Changes {
		if err := execArgs(w.conn, "INSERT INTO __warren_changes(pos, tbl, op, pk, before, after, lost) VALUES (?, ?, ?, ?, ?, ?, ?)",
			stored.Pos, ch.Table, ch.Op, string(ch.PK), nullJSON(ch.Before), nullJSON(ch.After), lost[i]); err != nil {
			return fmt.Errorf("store change: %w", err)
		}
	}
	return w.record(&stored)
}

// holds reports whether the log already has set seq of origin. The vector
// answers without a query unless the set is past a gap (sets beyond the
// contiguous ones may have arrived early).
func (w *writer) holds(origin string, seq uint64) (bool, error) {
	switch have := w.vector[origin]; {
	case seq <= have:
		return true, nil
	case seq == have+1:
		return false, nil
	}
	n, err := queryInt(w.conn, "SELECT count(*) FROM __warren_log WHERE origin = ? AND seq = ?", origin, int64(seq))
	return n > 0, err
}

func nullJSON(raw json.RawMessage) Value {
	if len(raw) == 0 {
		return nil
	}
	return string(raw)
}

// applyChange applies one row change if it is newer than the row's version;
// it reports whether it was (false: the row already has a newer version).
func (w *writer) applyChange(cs *ChangeSet, ch RowChange) (bool, error) {
	ti := w.tables[ch.Table]
	if ti == nil {
		return false, Errorf(CodeUnavailable, "no such table %q on this node", ch.Table)
	}
	in := version{hlc: cs.HLC, origin: cs.Origin, found: true, state: statePresent}
	if ch.Op == "d" {
		in.state = stateDeleted
	}
	if won, err := w.claimVersion(ti.Name, string(ch.PK), in); err != nil || !won {
		return false, err
	}
	if ch.Op == "d" {
		if err := w.deleteRow(ti, ch.PK); err != nil {
			return false, err
		}
	} else if err := w.materialize(ti, ch.PK, ch.After, in, true); err != nil {
		return false, err
	}
	if len(ti.Uniques) == 0 && ti.Others == 0 {
		return true, nil // nothing here can be shadowed now (beforeCommit brings back rows shadowed under a dropped index)
	}
	return true, w.reinstate(ti)
}

// version reads a row's version.
func (w *writer) version(table, pk string) (version, error) {
	rows, err := queryAll(w.conn, "SELECT hlc, origin, state FROM __warren_versions WHERE tbl = ? AND pk = ?", table, pk)
	if err != nil || len(rows) == 0 {
		return version{}, err
	}
	return version{hlc: HLC(rows[0][0].(int64)), origin: rows[0][1].(string), state: rows[0][2].(int64), found: true}, nil
}

// claimVersion records v as the row's version if it beats the stored one
// (see version.beats), in one statement; it reports whether it did.
func (w *writer) claimVersion(table, pk string, v version) (bool, error) {
	err := execArgs(w.conn, `INSERT INTO __warren_versions(tbl, pk, hlc, origin, state, image) VALUES (?, ?, ?, ?, ?, NULL)
		ON CONFLICT(tbl, pk) DO UPDATE SET hlc = excluded.hlc, origin = excluded.origin, state = excluded.state, image = NULL
		WHERE excluded.hlc > hlc OR (excluded.hlc = hlc AND excluded.origin >= origin)`,
		table, pk, int64(v.hlc), v.origin, v.state)
	return err == nil && w.conn.Changes() > 0, err
}

func (w *writer) setVersion(table, pk string, v version, image json.RawMessage) error {
	return execArgs(w.conn, `INSERT INTO __warren_versions(tbl, pk, hlc, origin, state, image) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT(tbl, pk) DO UPDATE SET hlc = excluded.hlc, origin = excluded.origin, state = excluded.state, image = excluded.image`,
		table, pk, int64(v.hlc), v.origin, v.state, nullJSON(image))
}

// materialize makes image the content of key pk, resolving UNIQUE collisions:
// rows with older versions that collide are shadowed; if a newer one
// collides, this image is shadowed instead. claimed: the caller has already
// stored v as the key's version, present.
func (w *writer) materialize(ti *tableInfo, pk, image json.RawMessage, v version, claimed bool) error {
	vals, err := decodeImage(image)
	if err != nil {
		return err
	}
	key, err := decodeKey(pk)
	if err != nil {
		return err
	}
	for attempt := 0; attempt <= len(ti.Uniques)+ti.Others+1; attempt++ {
		err := w.upsert(ti, key, vals)
		if err == nil {
			if attempt == 0 && claimed {
				return nil
			}
			v.state = statePresent
			return w.setVersion(ti.Name, string(pk), v, nil)
		}
		if !isUniqueViolation(err) {
			return err
		}
		won, err := w.displaceColliders(ti, pk, vals, v)
		if err != nil {
			return err
		}
		if !won {
			if err := w.deleteRow(ti, pk); err != nil {
				return err
			}
			v.state = stateShadowed
			return w.setVersion(ti.Name, string(pk), v, image)
		}
	}
	return Errorf(CodeInternal, "unresolvable UNIQUE collision in %s", ti.Name)
}

func isUniqueViolation(err error) bool {
	var se *sqlite3.Error
	return errors.As(err, &se) && se.Code == sqlite3.Constraint &&
		(se.Extended == 2067 || se.Extended == 1555 || strings.Contains(se.Msg, "UNIQUE"))
}

// displaceColliders shadows the rows that collide with vals on a UNIQUE index
// if v beats all of them; it reports whether v won.
func (w *writer) displaceColliders(ti *tableInfo, pk json.RawMessage, vals map[string]Value, v version) (bool, error) {
	colliders, err := w.colliders(ti, string(pk), vals)
	if err != nil {
		return false, err
	}
	type loser struct {
		pk  string
		ver version
	}
	var losers []loser
	for _, c := range colliders {
		cv, err := w.version(ti.Name, c)
		if err != nil {
			return false, err
		}
		if !v.beats(cv) {
			return false, nil
		}
		losers = append(losers, loser{c, cv})
	}
	for _, l := range losers {
		img, err := w.rowImage(ti, l.pk)
		if err != nil {
			return false, err
		}
		if err := w.deleteRow(ti, json.RawMessage(l.pk)); err != nil {
			return false, err
		}
		if !l.ver.found {
			l.ver = version{found: true}
		}
		l.ver.state = stateShadowed
		if err := w.setVersion(ti.Name, l.pk, l.ver, img); err != nil {
			return false, err
		}
	}
	return true, nil
}

// colliders returns the keys of present rows other than pk that share a
// UNIQUE index value with vals.
func (w *writer) colliders(ti *tableInfo, pk string, vals map[string]Value) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, cols := range ti.Uniques {
		var conds []string
		var args []any
		for _, c := range cols {
			val := vals[c]
			if val == nil {
				conds = nil
				break
			}
			conds = append(conds, quoteIdent(c)+" = ?")
			args = append(args, val)
		}
		if conds == nil {
			continue
		}
		q := "SELECT " + keyExpr(quoteIdent(ti.Name), ti) + " FROM " + quoteIdent(ti.Name) + " WHERE " + strings.Join(conds, " AND ")
		rows, err := queryAll(w.conn, q, args...)
		if err != nil {
			return nil, fmt.Errorf("find UNIQUE collisions: %w", err)
		}
		for _, r := range rows {
			k := r[0].(string)
			if k != pk && !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	if len(out) > 0 || ti.Others == 0 {
		return out, nil
	}
	k, err := w.probeCollider(ti, pk, vals)
	if err != nil || k == "" {
		return nil, err
	}
	return []string{k}, nil
}

// probeCollider asks SQLite which present row rejects vals on a UNIQUE index
// that colliders cannot query (partial, or on expressions): in a savepoint it
// removes the key's own row and inserts vals with an untargeted ON CONFLICT
// DO UPDATE, whose RETURNING names the row in the way; then it undoes both.
// It returns "" when no other row is in the way.
func (w *writer) probeCollider(ti *tableInfo, pk string, vals map[string]Value) (string, error) {
	key, err := decodeKey(json.RawMessage(pk))
	if err != nil {
		return "", err
	}
	if err := execArgs(w.conn, "SAVEPOINT probe"); err != nil {
		return "", err
	}
	defer func() {
		execArgs(w.conn, "ROLLBACK TO probe")
		execArgs(w.conn, "RELEASE probe")
	}()
	if err := w.deleteRow(ti, json.RawMessage(pk)); err != nil {
		return "", err
	}
	cols, args := w.rowColumns(ti, key, vals)
	first := quoteIdent(ti.Columns[0])
	q := insertSQL(ti, cols) + " ON CONFLICT DO UPDATE SET " + first + " = " + first + " RETURNING " + keyExpr(quoteIdent(ti.Name), ti)
	rows, err := queryAll(w.conn, q, args...)
	if err != nil || len(rows) == 0 {
		return "", err
	}
	if k, _ := rows[0][0].(string); k != pk {
		return k, nil
	}
	return "", nil
}

// rowImage reads a present row as a captured image.
func (w *writer) rowImage(ti *tableInfo, pk string) (json.RawMessage, error) {
	where, args, err := keyWhere(ti, json.RawMessage(pk))
	if err != nil {
		return nil, err
	}
	rows, err := queryAll(w.conn, "SELECT "+imageExpr(quoteIdent(ti.Name), ti.Columns)+" FROM "+quoteIdent(ti.Name)+" WHERE "+where, args...)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	return json.RawMessage(rows[0][0].(string)), nil
}

// keyWhere renders "k1 = ? AND k2 = ?" with the key's values.
func keyWhere(ti *tableInfo, pk json.RawMessage) (string, []any, error) {
	key, err := decodeKey(pk)
	if err != nil {
		return "", nil, err
	}
	if len(key) != len(ti.Key) {
		return "", nil, Errorf(CodeInvalid, "key %s does not fit table %s", pk, ti.Name)
	}
	conds := make([]string, len(key))
	for i, k := range ti.Key {
		conds[i] = quoteIdent(k) + " IS ?"
	}
	return strings.Join(conds, " AND "), key, nil
}

func (w *writer) deleteRow(ti *tableInfo, pk json.RawMessage) error {
	where, args, err := keyWhere(ti, pk)
	if err != nil {
		return err
	}
	return execArgs(w.conn, "DELETE FROM "+quoteIdent(ti.Name)+" WHERE "+where, args...)
}

// upsert writes vals as the row with key: one INSERT … ON CONFLICT on the
// primary key, or UPDATE and then INSERT when absent for a table keyed by
// rowid (no conflict target) or a key holding NULL (which never conflicts).
func (w *writer) upsert(ti *tableInfo, key []Value, vals map[string]Value) error {
	if ti.IDCol == "rowid" || hasNull(key) {
		return w.updateOrInsert(ti, key, vals)
	}
	cols, args := w.rowColumns(ti, key, vals)
	full := true // the image sets every column (the usual case): cols is ti.Columns
	for _, c := range ti.Columns {
		if _, ok := vals[c]; !ok {
			full = false
			break
		}
	}
	q := w.upserts[ti]
	if !full || q == "" {
		q = upsertSQL(ti, cols, vals)
		if full {
			w.upserts[ti] = q
		}
	}
	return execArgs(w.conn, q, args...)
}

// upsertSQL renders INSERT … ON CONFLICT(key) DO UPDATE for the columns an
// image sets. Key columns are set too where their collation holds other
// text equal ('Key' and 'KEY' under NOCASE): the row takes the image's.
func upsertSQL(ti *tableInfo, cols []string, vals map[string]Value) string {
	var sets []string
	for _, c := range ti.Columns {
		i := slices.Index(ti.Key, c)
		if _, ok := vals[c]; ok && (i < 0 || ti.folds(i)) {
			sets = append(sets, quoteIdent(c)+" = excluded."+quoteIdent(c))
		}
	}
	action := "NOTHING"
	if len(sets) > 0 {
		action = "UPDATE SET " + strings.Join(sets, ", ")
	}
	keys := make([]string, len(ti.Key))
	for i, k := range ti.Key {
		keys[i] = quoteIdent(k)
	}
	return insertSQL(ti, cols) + " ON CONFLICT(" + strings.Join(keys, ", ") + ") DO " + action
}

// insertSQL renders the INSERT of an applied row's columns. OR ABORT
// overrides the table's own conflict clauses (IGNORE, REPLACE, ROLLBACK):
// last-write-wins resolves collisions, not them.
func insertSQL(ti *tableInfo, cols []string) string {
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")
	return "INSERT OR ABORT INTO " + quoteIdent(ti.Name) + "(" + strings.Join(cols, ", ") + ") VALUES (" + marks + ")"
}

func hasNull(key []Value) bool {
	for _, v := range key {
		if v == nil {
			return true
		}
	}
	return false
}

// updateOrInsert writes vals as the row with key: UPDATE, or INSERT when absent.
func (w *writer) updateOrInsert(ti *tableInfo, key []Value, vals map[string]Value) error {
	var sets []string
	var args []any
	for _, c := range ti.Columns {
		if v, ok := vals[c]; ok {
			sets = append(sets, quoteIdent(c)+" = ?")
			args = append(args, v)
		}
	}
	conds := make([]string, len(ti.Key))
	for i, k := range ti.Key {
		conds[i] = quoteIdent(k) + " IS ?"
	}
	if len(sets) > 0 {
		q := "UPDATE OR ABORT " + quoteIdent(ti.Name) + " SET " + strings.Join(sets, ", ") + " WHERE " + strings.Join(conds, " AND ")
		if err := execArgs(w.conn, q, append(args, key...)...); err != nil {
			return err
		}
		if w.conn.Changes() > 0 {
			return nil
		}
	}
	return w.insertRow(ti, key, vals)
}

func (w *writer) insertRow(ti *tableInfo, key []Value, vals map[string]Value) error {
	cols, args := w.rowColumns(ti, key, vals)
	return execArgs(w.conn, insertSQL(ti, cols), args...)
}

// rowColumns lists the columns an inserted row sets, with their values: the
// key columns the image lacks (rowid), then the image's columns.
func (w *writer) rowColumns(ti *tableInfo, key []Value, vals map[string]Value) ([]string, []any) {
	cols := []string{}
	args := []any{}
	for i, k := range ti.Key {
		if _, ok := vals[k]; !ok {
			cols = append(cols, quoteIdent(k))
			args = append(args, key[i])
		}
	}
	for _, c := range ti.Columns {
		if v, ok := vals[c]; ok {
			cols = append(cols, quoteIdent(c))
			args = append(args, v)
		}
	}
	return cols, args
}
