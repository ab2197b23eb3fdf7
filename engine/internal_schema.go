package engine

import "github.com/warren-db/warren/engine/internal/sqlite3"

// internalPrefix starts the name of every table Warren keeps inside a user database.
const internalPrefix = "__warren_"

// internalSchema creates Warren's bookkeeping tables. They live in the same
// file as the user's tables so that a change and its log entry commit in one
// SQLite transaction.
//
//   - __warren_log: one row per change set (pos is the node-local log position).
//   - __warren_changes: one row per row change; pos is NULL until the change is
//     stamped into a change set (the capture triggers leave it NULL); lost is 1
//     for a remote row change that lost last-write-wins here (kept, since the
//     set is relayed whole, but it changed nothing in this database).
//   - __warren_versions: the last-write-wins version of every row ever written:
//     state 0 present, 1 deleted (tombstone), 2 shadowed (lost a UNIQUE
//     collision; image keeps its content in case the winner goes away).
//   - __warren_vector: the highest contiguous sequence applied per origin.
//   - __warren_mute: holds a row, inside the writer's transaction only, while
//     the writer applies changes the capture triggers must not record.
//   - __warren_schema: the schema log, one row per DDL statement; pos names
//     the change set that carried it (NULL until stamped).
const internalSchema = `
CREATE TABLE IF NOT EXISTS __warren_log(
  pos INTEGER PRIMARY KEY,
  origin TEXT NOT NULL,
  seq INTEGER NOT NULL,
  hlc INTEGER NOT NULL,
  schema_version INTEGER NOT NULL DEFAULT 0,
  UNIQUE(origin, seq));
CREATE TABLE IF NOT EXISTS __warren_changes(
  id INTEGER PRIMARY KEY,
  pos INTEGER,
  tbl TEXT NOT NULL,
  op TEXT NOT NULL,
  pk TEXT NOT NULL,
  before TEXT,
  after TEXT,
  lost INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS __warren_changes_pos ON __warren_changes(pos);
CREATE TABLE IF NOT EXISTS __warren_versions(
  tbl TEXT NOT NULL,
  pk TEXT NOT NULL,
  hlc INTEGER NOT NULL,
  origin TEXT NOT NULL,
  state INTEGER NOT NULL,
  image TEXT,
  PRIMARY KEY(tbl, pk)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS __warren_versions_shadowed ON __warren_versions(tbl) WHERE state = 2;
CREATE TABLE IF NOT EXISTS __warren_vector(
  origin TEXT PRIMARY KEY,
  seq INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS __warren_schema(
  version INTEGER PRIMARY KEY,
  sql TEXT NOT NULL,
  hlc INTEGER NOT NULL,
  origin TEXT NOT NULL,
  pos INTEGER);
CREATE TABLE IF NOT EXISTS __warren_mute(on_ INTEGER PRIMARY KEY);
`

// Row states in __warren_versions.
const (
	statePresent  = 0
	stateDeleted  = 1
	stateShadowed = 2
)

// migrateInternal brings the internal tables of a file made by an older
// version up to internalSchema.
func migrateInternal(c *sqlite3.Conn) error {
	n, err := queryInt(c, "SELECT count(*) FROM pragma_table_info('__warren_changes') WHERE name = 'lost'")
	if err != nil || n > 0 {
		return err
	}
	return c.Exec("ALTER TABLE __warren_changes ADD COLUMN lost INTEGER NOT NULL DEFAULT 0")
}
