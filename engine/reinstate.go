package engine

import "encoding/json"

// reinstate brings back shadowed rows of a table whose colliders went away or
// lost to them, until the table is stable (see apply.go for the rule).
func (w *writer) reinstate(ti *tableInfo) error {
	for {
		rows, err := queryAll(w.conn, `SELECT pk, hlc, origin, image FROM __warren_versions INDEXED BY __warren_versions_shadowed
			WHERE tbl = ? AND state = 2 ORDER BY hlc DESC, origin DESC`, ti.Name)
		if err != nil || len(rows) == 0 {
			return err
		}
		progress := false
		for _, r := range rows {
			pk, img := json.RawMessage(r[0].(string)), json.RawMessage(r[3].(string))
			v := version{hlc: HLC(r[1].(int64)), origin: r[2].(string), found: true}
			if err := w.materialize(ti, pk, img, v, false); err != nil {
				return err
			}
			now, err := w.version(ti.Name, string(pk))
			if err != nil {
				return err
			}
			if now.state == statePresent {
				progress = true
				break
			}
		}
		if !progress {
			return nil
		}
	}
}

// reinstateShadowed runs reinstate for every table with shadowed rows and
// drops what the triggers captured meanwhile (every node does the same work).
func (w *writer) reinstateShadowed() error {
	rows, err := queryAll(w.conn, "SELECT DISTINCT tbl FROM __warren_versions INDEXED BY __warren_versions_shadowed WHERE state = 2")
	if err != nil || len(rows) == 0 {
		return err
	}
	return w.muted(func() error {
		for _, r := range rows {
			if ti := w.tables[r[0].(string)]; ti != nil {
				if err := w.reinstate(ti); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
