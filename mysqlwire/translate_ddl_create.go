package mysqlwire

import (
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"
)

// tableDef collects what CREATE TABLE says beyond the column list.
type tableDef struct {
	name      string
	binary    bool     // default collation is binary
	pk        []string // primary key columns
	rowidPK   string   // the INTEGER PRIMARY KEY column, if any
	indexes   []*sqlparser.IndexDefinition
	names     map[string]bool // index names in use (lower case)
	ifNotExis bool
}

// createTable translates CREATE TABLE into CREATE TABLE plus one CREATE
// INDEX per KEY, UNIQUE KEY and foreign key.
func (r *renderer) createTable(x *sqlparser.CreateTable) Plan {
	switch {
	case x.Temp:
		r.fail(errNotSupported("temporary tables"))
	case x.OptLike != nil:
		r.fail(errNotSupported("CREATE TABLE ... LIKE"))
	case x.Select != nil:
		r.fail(errNotSupported("CREATE TABLE ... SELECT"))
	case x.TableSpec == nil:
		r.fail(errParse("CREATE TABLE needs columns"))
	case x.TableSpec.PartitionOption != nil:
		r.fail(errNotSupported("PARTITION BY"))
	}
	if r.err != nil {
		return Plan{}
	}
	spec := x.TableSpec
	t := &tableDef{name: x.Table.Name.String(), binary: r.tableOptions(spec.Options), names: map[string]bool{}, ifNotExis: x.IfNotExists}
	r.collectKeys(t, spec)
	create := r.capture(func() {
		r.w("CREATE TABLE ")
		if x.IfNotExists {
			r.w("IF NOT EXISTS ")
		}
		r.tableName(x.Table)
		r.w(" (/*mysql*/ ")
		r.columnDefs(t, spec.Columns)
		r.tableConstraints(t, spec)
		r.wb(')')
	})
	stmts := []string{create}
	for _, idx := range t.indexes {
		stmts = append(stmts, r.createIndex(t, idx))
	}
	return r.ddlPlan(stmts)
}

// collectKeys finds the primary key and the indexes, column-level ones
// included, and decides whether the key can be SQLite's rowid.
func (r *renderer) collectKeys(t *tableDef, spec *sqlparser.TableSpec) {
	types := map[string]*sqlparser.ColumnDefinition{}
	for _, c := range spec.Columns {
		types[c.Name.Lowered()] = c
		switch c.Type.Options.KeyOpt {
		case sqlparser.ColKeyPrimary, sqlparser.ColKey:
			r.setPK(t, []string{c.Name.String()})
		case sqlparser.ColKeyUnique, sqlparser.ColKeyUniqueKey:
			t.indexes = append(t.indexes, &sqlparser.IndexDefinition{
				Info:    &sqlparser.IndexInfo{Type: sqlparser.IndexTypeUnique, Name: c.Name},
				Columns: []*sqlparser.IndexColumn{{Column: c.Name}}})
		case sqlparser.ColKeySpatialKey, sqlparser.ColKeyFulltextKey:
			r.fail(errNotSupported("FULLTEXT and SPATIAL indexes"))
		}
	}
	for _, idx := range spec.Indexes {
		switch idx.Info.Type {
		case sqlparser.IndexTypePrimary:
			var cols []string
			for _, ic := range idx.Columns {
				if ic.Expression != nil {
					r.fail(errNotSupported("expressions in a primary key"))
				}
				cols = append(cols, ic.Column.String())
			}
			r.setPK(t, cols)
		case sqlparser.IndexTypeSpatial, sqlparser.IndexTypeFullText:
			r.fail(errNotSupported("FULLTEXT and SPATIAL indexes"))
		default:
			t.indexes = append(t.indexes, idx)
		}
	}
	r.foreignKeyIndexes(t, spec)
	if len(t.pk) == 1 {
		if c := types[strings.ToLower(t.pk[0])]; c != nil && intTypes[strings.ToLower(c.Type.Type)] != "" && c.Type.Options.As == nil {
			t.rowidPK = c.Name.String()
		}
	}
	for _, c := range spec.Columns {
		if c.Type.Options.Autoincrement && !strings.EqualFold(c.Name.String(), t.rowidPK) {
			r.fail(errDDL(ErrCodeWrongAutoKey, "42000", "Incorrect table definition; AUTO_INCREMENT must be on the table's integer primary key in Warren"))
		}
	}
}

func (r *renderer) setPK(t *tableDef, cols []string) {
	if t.pk != nil {
		r.fail(errDDL(ErrCodeMultiplePriKey, "42000", "Multiple primary key defined"))
	}
	t.pk = cols
}

// foreignKeyIndexes adds the index MySQL creates for a foreign key whose
// columns no key starts with.
func (r *renderer) foreignKeyIndexes(t *tableDef, spec *sqlparser.TableSpec) {
	for _, cd := range spec.Constraints {
		fk, ok := cd.Details.(*sqlparser.ForeignKeyDefinition)
		if !ok || keyCovers(t, fk.Source) {
			continue
		}
		name := fk.IndexName
		if name.IsEmpty() {
			name = cd.Name
		}
		if name.IsEmpty() {
			name = fk.Source[0]
		}
		idx := &sqlparser.IndexDefinition{Info: &sqlparser.IndexInfo{Type: sqlparser.IndexTypeDefault, Name: name}}
		for _, c := range fk.Source {
			idx.Columns = append(idx.Columns, &sqlparser.IndexColumn{Column: c})
		}
		t.indexes = append(t.indexes, idx)
	}
}

// keyCovers reports whether the primary key or an index starts with cols.
func keyCovers(t *tableDef, cols sqlparser.Columns) bool {
	starts := func(have []string) bool {
		if len(have) < len(cols) {
			return false
		}
		for i, c := range cols {
			if !strings.EqualFold(have[i], c.String()) {
				return false
			}
		}
		return true
	}
	if starts(t.pk) {
		return true
	}
	for _, idx := range t.indexes {
		var names []string
		for _, ic := range idx.Columns {
			names = append(names, ic.Column.String())
		}
		if starts(names) {
			return true
		}
	}
	return false
}

// columnDefs writes the column definitions.
func (r *renderer) columnDefs(t *tableDef, cols []*sqlparser.ColumnDefinition) {
	seen := map[string]bool{}
	for i, c := range cols {
		if seen[c.Name.Lowered()] {
			r.fail(errDDL(ErrCodeDupFieldName, "42S21", "Duplicate column name '%s'", c.Name.String()))
		}
		seen[c.Name.Lowered()] = true
		if i > 0 {
			r.w(", ")
		}
		r.columnDef(t, c, false)
	}
}

// tableConstraints writes a composite or non-integer primary key, foreign
// keys and checks.
func (r *renderer) tableConstraints(t *tableDef, spec *sqlparser.TableSpec) {
	if len(t.pk) > 0 && t.rowidPK == "" {
		r.w(", PRIMARY KEY (")
		for i, c := range t.pk {
			if i > 0 {
				r.w(", ")
			}
			r.ident(c)
		}
		r.wb(')')
	}
	for _, cd := range spec.Constraints {
		switch d := cd.Details.(type) {
		case *sqlparser.ForeignKeyDefinition:
			r.w(", ")
			r.constraintName(cd.Name)
			r.w("FOREIGN KEY ")
			r.columnList(d.Source)
			r.reference(d.ReferenceDefinition)
		case *sqlparser.CheckConstraintDefinition:
			if d.Enforced {
				r.w(", ")
				r.constraintName(cd.Name)
				r.w("CHECK (")
				r.expr(d.Expr)
				r.wb(')')
			}
		}
	}
}

func (r *renderer) constraintName(n sqlparser.IdentifierCI) {
	if !n.IsEmpty() {
		r.w("CONSTRAINT ")
		r.ident(n.String())
		r.wb(' ')
	}
}

// reference writes REFERENCES t (cols) with its actions. Warren records
// foreign keys but does not enforce them (as MySQL's MyISAM does not).
func (r *renderer) reference(ref *sqlparser.ReferenceDefinition) {
	r.w(" REFERENCES ")
	r.tableName(ref.ReferencedTable)
	if len(ref.ReferencedColumns) > 0 {
		r.wb(' ')
		r.columnList(ref.ReferencedColumns)
	}
	actions := map[sqlparser.ReferenceAction]string{sqlparser.Restrict: "RESTRICT", sqlparser.Cascade: "CASCADE",
		sqlparser.NoAction: "NO ACTION", sqlparser.SetNull: "SET NULL", sqlparser.SetDefault: "SET DEFAULT"}
	if a, ok := actions[ref.OnDelete]; ok {
		r.w(" ON DELETE " + a)
	}
	if a, ok := actions[ref.OnUpdate]; ok {
		r.w(" ON UPDATE " + a)
	}
}

// createIndex returns CREATE [UNIQUE] INDEX for a MySQL index. A prefix
// length becomes a comment after the column (SQLite indexes whole values).
func (r *renderer) createIndex(t *tableDef, idx *sqlparser.IndexDefinition) string {
	name := idx.Info.Name.String()
	if name == "" && len(idx.Columns) > 0 {
		name = idx.Columns[0].Column.String()
	}
	name = t.uniqueName(name)
	return r.capture(func() {
		r.w("CREATE ")
		if idx.Info.Type == sqlparser.IndexTypeUnique {
			r.w("UNIQUE ")
		}
		r.w("INDEX ")
		if t.ifNotExis {
			r.w("IF NOT EXISTS ")
		}
		r.ident(indexName(t.name, name))
		r.w(" ON ")
		r.ident(t.name)
		r.w(" (")
		r.indexColumns(idx.Columns)
		r.wb(')')
	})
}

// uniqueName returns name, or name_2, name_3... when taken (MySQL's rule).
func (t *tableDef) uniqueName(name string) string {
	n := name
	for i := 2; t.names[strings.ToLower(n)]; i++ {
		n = name + "_" + itoa(i)
	}
	t.names[strings.ToLower(n)] = true
	return n
}

func (r *renderer) indexColumns(cols []*sqlparser.IndexColumn) {
	for i, ic := range cols {
		if i > 0 {
			r.w(", ")
		}
		if ic.Expression != nil {
			r.wb('(')
			r.expr(ic.Expression)
			r.wb(')')
		} else {
			r.ident(ic.Column.String())
			if ic.Length != nil {
				r.w(" /*" + itoa(*ic.Length) + "*/")
			}
		}
		if ic.Direction == sqlparser.DescOrder {
			r.w(" DESC")
		}
	}
}
