package mysqlwire

import (
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"
)

// alterTable translates ALTER TABLE (and CREATE/DROP INDEX, which the
// parser turns into ALTER TABLE). Each option becomes its own statement;
// options SQLite cannot do (changing a column's type or default, adding a
// primary key or constraint) are refused rather than ignored.
func (r *renderer) alterTable(x *sqlparser.AlterTable) Plan {
	if x.PartitionSpec != nil || x.PartitionOption != nil {
		r.fail(errNotSupported("ALTER TABLE ... PARTITION"))
		return Plan{}
	}
	t := &tableDef{name: x.Table.Name.String(), names: map[string]bool{}}
	var stmts []string
	for _, opt := range x.AlterOptions {
		stmts = append(stmts, r.alterOption(x, t, opt)...)
		if r.err != nil {
			return Plan{}
		}
	}
	r.noteDatabase(x.Table)
	return r.ddlPlan(stmts)
}

// alterOption translates one ALTER TABLE option.
func (r *renderer) alterOption(x *sqlparser.AlterTable, t *tableDef, opt sqlparser.AlterOption) []string {
	alter := func(rest func()) string {
		return r.capture(func() { r.w("ALTER TABLE "); r.tableName(x.Table); r.wb(' '); rest() })
	}
	switch o := opt.(type) {
	case *sqlparser.AddColumns:
		return r.addColumns(t, o.Columns, alter)
	case *sqlparser.AddIndexDefinition:
		return r.addIndex(t, o.IndexDefinition)
	case *sqlparser.DropKey:
		return r.dropKey(t, o)
	case *sqlparser.DropColumn:
		return []string{alter(func() { r.w("DROP COLUMN "); r.ident(o.Name.Name.String()) })}
	case *sqlparser.RenameColumn:
		return []string{alter(func() {
			r.w("RENAME COLUMN ")
			r.ident(o.OldName.Name.String())
			r.w(" TO ")
			r.ident(o.NewName.Name.String())
		})}
	case *sqlparser.RenameTableName:
		return []string{alter(func() { r.w("RENAME TO "); r.ident(o.Table.Name.String()) })}
	case *sqlparser.AlterCharset:
		if cs := strings.ToLower(o.CharacterSet); cs != "" && !charsets[cs] {
			r.fail(errNotSupportedf("character set %s: Warren stores UTF-8", o.CharacterSet))
		}
		return nil
	case sqlparser.TableOptions:
		r.tableOptions(o)
		return nil
	case sqlparser.AlgorithmValue, *sqlparser.LockOption, *sqlparser.Force, *sqlparser.Validation,
		*sqlparser.KeyState, *sqlparser.OrderByOption:
		return nil // how MySQL performs the change: nothing to do in SQLite
	}
	r.fail(errNotSupported(alterWhat(opt)))
	return nil
}

// alterWhat names an ALTER TABLE option Warren cannot perform.
func alterWhat(opt sqlparser.AlterOption) string {
	switch opt.(type) {
	case *sqlparser.ChangeColumn, *sqlparser.ModifyColumn:
		return "ALTER TABLE ... CHANGE/MODIFY COLUMN (SQLite cannot change a column's definition; RENAME COLUMN works)"
	case *sqlparser.AlterColumn:
		return "ALTER TABLE ... ALTER COLUMN (SQLite cannot change a column's default)"
	case *sqlparser.AddConstraintDefinition:
		return "ALTER TABLE ... ADD CONSTRAINT (SQLite cannot add constraints to a table)"
	case *sqlparser.RenameIndex:
		return "ALTER TABLE ... RENAME INDEX"
	}
	return "ALTER TABLE " + describe(opt)
}

// addColumns translates ADD COLUMN. SQLite appends columns at the end
// (FIRST and AFTER are ignored) and takes no keys there: a UNIQUE column
// gets its own index, a primary key is refused.
func (r *renderer) addColumns(t *tableDef, cols []*sqlparser.ColumnDefinition, alter func(func()) string) []string {
	var stmts []string
	for _, c := range cols {
		switch c.Type.Options.KeyOpt {
		case sqlparser.ColKeyPrimary, sqlparser.ColKey:
			r.fail(errNotSupported("adding a PRIMARY KEY column"))
			return nil
		case sqlparser.ColKeySpatialKey, sqlparser.ColKeyFulltextKey:
			r.fail(errNotSupported("FULLTEXT and SPATIAL indexes"))
			return nil
		}
		if c.Type.Options.Autoincrement {
			r.fail(errNotSupported("adding an AUTO_INCREMENT column"))
			return nil
		}
		stmts = append(stmts, alter(func() { r.w("ADD COLUMN "); r.columnDef(t, c, true) }))
		if k := c.Type.Options.KeyOpt; k == sqlparser.ColKeyUnique || k == sqlparser.ColKeyUniqueKey {
			stmts = append(stmts, r.addIndex(t, &sqlparser.IndexDefinition{
				Info:    &sqlparser.IndexInfo{Type: sqlparser.IndexTypeUnique, Name: c.Name},
				Columns: []*sqlparser.IndexColumn{{Column: c.Name}}})...)
		}
	}
	return stmts
}

// addIndex translates ADD INDEX / ADD UNIQUE and CREATE INDEX.
func (r *renderer) addIndex(t *tableDef, idx *sqlparser.IndexDefinition) []string {
	switch idx.Info.Type {
	case sqlparser.IndexTypePrimary:
		r.fail(errNotSupported("adding a PRIMARY KEY to a table"))
		return nil
	case sqlparser.IndexTypeSpatial, sqlparser.IndexTypeFullText:
		r.fail(errNotSupported("FULLTEXT and SPATIAL indexes"))
		return nil
	}
	return []string{r.createIndex(t, idx)}
}

// dropKey translates DROP INDEX / DROP KEY.
func (r *renderer) dropKey(t *tableDef, d *sqlparser.DropKey) []string {
	if d.Type != sqlparser.NormalKeyType {
		r.fail(errNotSupported("dropping a primary key, foreign key or constraint"))
		return nil
	}
	return []string{r.capture(func() { r.w("DROP INDEX "); r.ident(indexName(t.name, d.Name.String())) })}
}
