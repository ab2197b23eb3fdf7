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

// dropCaptured drops row changes captured but not stamped: after a remote
// schema change, whatever the old capture triggers recorded belongs to no set.
func (w *writer) dropCaptured() error {
	return execArgs(w.conn, "DELETE FROM __warren_changes WHERE pos IS NULL")
}

// muted runs fn with every trigger switched off on the writer's connection:
// capture must not record changes that are not this node's writes, and the
// user's triggers must not fire again for them: their effects arrive as row
// changes of their own, from the node where they fired.
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

// setMute switches triggers off (on) for what follows in the batch. They are
// on again before anything else runs in the batch and before it commits.
// Other connections, and so other processes writing the file, are not
// affected. A switch makes the connection's statements re-prepare at their
// next step: a batch of peers' sets switches twice, not twice per set.
func (w *writer) setMute(on bool) error {
	if on == w.mute {
		return nil
	}
	if err := w.conn.EnableTriggers(!on); err != nil {
		return fmt.Errorf("switch triggers: %w", err)
	}
	w.mute = on
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
