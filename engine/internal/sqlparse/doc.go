// Package sqlparse understands SQLite statements before the engine runs them.
//
// It classifies a statement (read, write, DDL, transaction control, pragma, other),
// names the table it writes, splits scripts into single statements, and rewrites
// INSERT statements so every new row gets an id from the node's own slot
// (id ≡ slot mod stride), which keeps ids minted on different nodes apart.
//
// Statements are parsed with github.com/rqlite/sql. Where that parser lacks a
// SQLite feature, classification and splitting fall back to a lexical scan that
// understands strings, quoted identifiers, comments and trigger bodies, and
// Info.Parsed reports false. Rewrites never re-render a statement through the
// parser: they splice a few tokens into the caller's original text, so comments,
// literals and parameters (?, ?NNN, :name, @name, $name) bind exactly as written.
//
// MintIDs writes the ids as literals, or with Target.IDParams as the named
// parameters :__warren_id_0, :__warren_id_1, ... (IDParamName), so that the
// rewritten text is the same on every execution and SQLite can reuse its
// prepared statement; the caller binds Rewrite.ID(k) to each by name and the
// statement's own anonymous parameters in increasing order of number.
//
// The package functions do not cache. A Cache wraps the same operations with a
// bounded LRU keyed by statement text, for callers that see the same text often;
// with id parameters it also keeps the rewritten text.
package sqlparse
