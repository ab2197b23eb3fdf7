package cdc

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/warren-db/warren/engine"
)

// incremental keeps the result of a single-table SELECT keyed by the
// table's primary key. It runs the client's query with the key columns
// appended to the SELECT list; after a batch it reads again only the
// changed keys (WHERE (<client's condition>) AND <key> IN (...)), so a
// batch costs what it changed, not what the table holds.
type incremental struct {
	q       *LiveQuery
	table   Table
	keyCols []string // qualified, quoted key columns
	width   int      // the client's columns
	columns []engine.Column
	rows    map[string]*liveRow // by keyString of the key
}

// liveRow is one row of an incremental result.
type liveRow struct {
	key    []engine.Value
	values []engine.Value
}

// keyChunks are the sizes of the IN lists, padded up to one of them so the
// statements stay few and cached.
var keyChunks = []int{1, 16, 256}

func newIncremental(q *LiveQuery, t Table) *incremental {
	cols := make([]string, len(t.Key))
	for i, k := range t.Key {
		cols[i] = quoteIdent(q.plan.qualifier) + "." + quoteIdent(k)
	}
	return &incremental{q: q, table: t, keyCols: cols, rows: map[string]*liveRow{}}
}

func (inc *incremental) watches(table string) bool { return table == inc.table.Name }

// base is the client's query with the key columns, up to its condition.
func (inc *incremental) base() string {
	p := inc.q.plan
	var b strings.Builder
	b.WriteString("SELECT ")
	b.WriteString(p.projection)
	b.WriteString("\n, ")
	b.WriteString(strings.Join(inc.keyCols, ", "))
	b.WriteString(" FROM " + quoteIdent(p.table) + " AS " + quoteIdent(p.qualifier))
	if p.where != "" {
		b.WriteString(" WHERE (" + p.where + "\n)")
	}
	return b.String()
}

func (inc *incremental) start(v *engine.View, emit func(*LiveEvent) error) error {
	text := inc.base()
	if inc.q.plan.order != "" {
		text += " ORDER BY " + inc.q.plan.order + "\n"
	}
	rows, err := v.Query(engine.Statement{SQL: text, Params: inc.q.st.Params})
	if err != nil {
		return err
	}
	inc.width = len(rows.Columns) - len(inc.keyCols)
	inc.columns = rows.Columns[:inc.width]
	ev := &LiveEvent{Kind: LiveRows, Rows: make([][]engine.Value, 0, len(rows.Rows)), Keys: make([][]engine.Value, 0, len(rows.Rows))}
	for _, r := range rows.Rows {
		row := &liveRow{key: r[inc.width:], values: r[:inc.width]}
		inc.rows[keyString(row.key)] = row
		ev.Rows, ev.Keys = append(ev.Rows, row.values), append(ev.Keys, row.key)
	}
	cols := &LiveEvent{Kind: LiveColumns, Columns: inc.columns, KeyColumns: inc.table.Key, Mode: ModeIncremental}
	if err := emit(cols); err != nil {
		return err
	}
	return emit(ev)
}

func (inc *incremental) update(v *engine.View, b *liveBatch, emit func(*LiveEvent) error) error {
	changed := b.ordered()
	found, err := inc.read(v, changed)
	if err != nil {
		return err
	}
	for _, k := range changed {
		ks := keyString(k.key)
		if ev := inc.apply(ks, k, found[ks]); ev != nil {
			if err := emit(ev); err != nil {
				return err
			}
		}
	}
	if len(inc.rows) > inc.q.opts.MaxRows {
		return engine.Errorf(engine.CodeTooLarge, "the live query's result has more than %d rows: narrow its WHERE", inc.q.opts.MaxRows)
	}
	return nil
}

// apply moves the kept row of key k to its new values (nil: not in the
// result) and returns the event that says so, nil when nothing changed.
func (inc *incremental) apply(ks string, k *changedKey, values []engine.Value) *LiveEvent {
	old, had := inc.rows[ks]
	switch {
	case had && values == nil:
		delete(inc.rows, ks)
		return &LiveEvent{Kind: LiveDelete, Pos: k.pos, Key: old.key, Old: old.values}
	case !had && values != nil:
		inc.rows[ks] = &liveRow{key: k.key, values: values}
		return &LiveEvent{Kind: LiveInsert, Pos: k.pos, Key: k.key, New: values}
	case had && !sameRow(old.values, values):
		inc.rows[ks] = &liveRow{key: old.key, values: values}
		return &LiveEvent{Kind: LiveUpdate, Pos: k.pos, Key: old.key, Old: old.values, New: values}
	}
	return nil
}

// read returns the result rows of the changed keys, by keyString.
func (inc *incremental) read(v *engine.View, changed []*changedKey) (map[string][]engine.Value, error) {
	found := make(map[string][]engine.Value, len(changed))
	for rest := changed; len(rest) > 0; {
		size := chunkSize(len(rest))
		part := rest[:min(size, len(rest))]
		rest = rest[len(part):]
		rows, err := v.Query(inc.keyStatement(part, size))
		if err != nil {
			return nil, err
		}
		for _, r := range rows.Rows {
			found[keyString(r[inc.width:])] = r[:inc.width]
		}
	}
	return found, nil
}

// chunkSize is the IN list size for n keys.
func chunkSize(n int) int {
	for _, c := range keyChunks {
		if n <= c {
			return c
		}
	}
	return keyChunks[len(keyChunks)-1]
}

// keyStatement reads the rows of keys, padded to size with the last key.
// The key values follow the client's parameters: as named parameters when
// the client named its own, else as numbered ones after the client's.
func (inc *incremental) keyStatement(keys []*changedKey, size int) engine.Statement {
	user := inc.q.st.Params
	named := len(user.Named) > 0
	p := engine.Params{Positional: slices.Clip(user.Positional)}
	if named {
		p = engine.Params{Named: make(map[string]engine.Value, len(user.Named)+size*len(inc.keyCols))}
		for k, v := range user.Named {
			p.Named[k] = v
		}
	}
	n := len(p.Positional)
	tuples := make([]string, size)
	for i := range size {
		k := keys[min(i, len(keys)-1)]
		marks := make([]string, len(inc.keyCols))
		for j, v := range k.key {
			n++
			name := "__live_k" + strconv.Itoa(n)
			if named {
				marks[j] = ":" + name
				p.Named[name] = v
			} else {
				marks[j] = "?" + strconv.Itoa(n)
				p.Positional = append(p.Positional, v)
			}
		}
		tuples[i] = strings.Join(marks, ", ")
	}
	return engine.Statement{SQL: inc.base() + inc.keyCondition(tuples), Params: p}
}

// keyCondition is the clause restricting the query to the keys of tuples.
func (inc *incremental) keyCondition(tuples []string) string {
	cond := " AND "
	if inc.q.plan.where == "" {
		cond = " WHERE "
	}
	if len(inc.keyCols) == 1 {
		return cond + inc.keyCols[0] + " IN (" + strings.Join(tuples, ", ") + ")"
	}
	return cond + "(" + strings.Join(inc.keyCols, ", ") + ") IN (VALUES (" + strings.Join(tuples, "), (") + "))"
}

// schemaChanged reports whether the table's columns or key changed.
func (inc *incremental) schemaChanged(ctx context.Context) (bool, error) {
	now, err := inc.q.feed.Table(ctx, inc.q.db, inc.table.Name)
	if err != nil {
		return false, err
	}
	return !slices.Equal(now.Key, inc.table.Key) || !slices.Equal(now.Columns, inc.table.Columns), nil
}
