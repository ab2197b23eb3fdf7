package engine

import (
	"fmt"
	"strings"

	"github.com/warren-db/warren/engine/internal/sqlparse"
)

// SchemaEntry is one DDL statement of the schema log. DDL travels inside the
// change set of the transaction that ran it, and is applied before that
// set's row changes; versions are consecutive per database.
type SchemaEntry struct {
	Version int64  `json:"version"`
	SQL     string `json:"sql"`
	HLC     HLC    `json:"hlc"`
	Origin  string `json:"origin"`
}

// afterDDL records DDL in the schema log and regenerates capture triggers.
// The entries join the next change set this node stamps.
func (w *writer) afterDDL(stmts []string) error {
	hlc := w.db.clock.Now()
	for _, sql := range stmts {
		w.schemaVer++
		if err := execArgs(w.conn, "INSERT INTO __warren_schema(version, sql, hlc, origin) VALUES (?, ?, ?, ?)",
			w.schemaVer, sql, int64(hlc), w.db.node); err != nil {
			return fmt.Errorf("record schema change: %w", err)
		}
		w.pendingDDL++
	}
	return w.refreshSchema(true)
}

// applySchema runs the schema entries of a remote change set that this
// database lacks, in version order, recording them at log position pos.
func (w *writer) applySchema(entries []SchemaEntry, pos int64) error {
	if len(entries) == 0 {
		return nil
	}
	for _, e := range entries {
		if e.Version <= w.schemaVer {
			continue
		}
		if e.Version != w.schemaVer+1 {
			return Errorf(CodeUnavailable, "schema version %d is missing before %d", w.schemaVer+1, e.Version)
		}
		w.db.clock.Observe(e.HLC)
		if info, err := w.db.parse.Analyze(e.SQL); err == nil {
			if err := w.clearAlteredTriggers(info); err != nil {
				return err
			}
		}
		if err := w.conn.Exec(e.SQL); err != nil && !alreadyApplied(e.SQL, err) {
			return fmt.Errorf("apply schema version %d: %w", e.Version, sqlError(err))
		}
		if err := execArgs(w.conn, "INSERT INTO __warren_schema(version, sql, hlc, origin, pos) VALUES (?, ?, ?, ?, ?)",
			e.Version, e.SQL, int64(e.HLC), e.Origin, pos); err != nil {
			return fmt.Errorf("record schema change: %w", err)
		}
		w.schemaVer = e.Version
	}
	if err := w.refreshSchema(true); err != nil {
		return err
	}
	return w.dropCaptured()
}

// clearAlteredTriggers drops the capture triggers of a table that an ALTER
// TABLE is about to change: SQLite checks triggers on DROP/RENAME COLUMN, and
// the capture triggers name every column. refreshSchema rebuilds them.
func (w *writer) clearAlteredTriggers(info sqlparse.Info) error {
	if info.Verb != "ALTER TABLE" || w.tables[info.Table] == nil {
		return nil
	}
	return dropCaptureTriggers(w.conn, info.Table)
}

// alreadyApplied reports DDL errors that mean the change is already there,
// which makes replicated DDL idempotent (a node that got it by snapshot, say).
func alreadyApplied(sql string, err error) bool {
	msg := err.Error()
	if strings.Contains(msg, "already exists") || strings.Contains(msg, "duplicate column name") {
		return true
	}
	drop := strings.HasPrefix(strings.ToUpper(strings.TrimSpace(sql)), "DROP")
	return drop && (strings.Contains(msg, "no such table") || strings.Contains(msg, "no such index") ||
		strings.Contains(msg, "no such view") || strings.Contains(msg, "no such trigger"))
}

// dropCaptured drops row changes the triggers captured while the writer
// applied changes that are not this node's writes (DDL replays recreate
// triggers, which may capture before the mute applies to them).
func (w *writer) dropCaptured() error {
	return execArgs(w.conn, "DELETE FROM __warren_changes WHERE pos IS NULL")
}

// muted runs fn with change capture switched off for this transaction, and
// the user's triggers too (see quietTriggers).
func (w *writer) muted(fn func() error) error {
	if w.mute {
		return fn() // a run of remote sets holds the mute already
	}
	if err := w.setMute(true); err != nil {
		return err
	}
	err := fn()
	if uerr := w.setMute(false); err == nil {
		err = uerr
	}
	return err
}

// setMute switches capture off (on) for the rest of the batch's transaction,
// outside any savepoint, so that a run of remote sets mutes once rather than
// once per set. Capture is on again before anything else runs in the batch
// and before it commits. The mute is a row in __warren_mute that the capture
// triggers check and that is never committed: other processes always see
// the table empty, so their writes are always captured.
func (w *writer) setMute(on bool) error {
	if on == w.mute {
		return nil
	}
	q := "DELETE FROM __warren_mute"
	if on {
		q = "INSERT OR IGNORE INTO __warren_mute VALUES (1)"
	}
	if err := execArgs(w.conn, q); err != nil {
		return fmt.Errorf("switch capture: %w", err)
	}
	w.mute = on
	return w.quietTriggers(on)
}

// quietTriggers switches every trigger off (on) on the writer's connection
// while it applies what is not this node's write. The user's triggers fired
// on the node where the write was made, and their effects arrive as row
// changes of their own: firing them again would leave rows the origin never
// had. Other connections, and so other processes, are not affected. A switch
// makes the connection's statements re-prepare, so it happens only in
// databases that have triggers of their own.
func (w *writer) quietTriggers(off bool) error {
	if off == w.triggersOff || (off && !w.userTriggers) {
		return nil
	}
	if err := w.conn.EnableTriggers(!off); err != nil {
		return fmt.Errorf("switch triggers: %w", err)
	}
	w.triggersOff = off
	return nil
}

// readSchema reads the schema entries stored at a log position.
func readSchema(rows [][]Value) []SchemaEntry {
	out := make([]SchemaEntry, 0, len(rows))
	for _, r := range rows {
		out = append(out, SchemaEntry{Version: r[0].(int64), SQL: r[1].(string), HLC: HLC(r[2].(int64)), Origin: r[3].(string)})
	}
	return out
}
