package mysqlwire

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/warren-db/warren/engine"
)

// planRunner runs plans against a real engine the way the server does, so
// translations are checked by SQLite itself. It is deliberately small: one
// session, no privileges.
type planRunner struct {
	t    testing.TB
	tr   *Translator
	eng  *engine.Engine
	sess SessionInfo
	tx   *engine.Tx
}

// result is what one statement produced.
type result struct {
	plan     Plan
	columns  []string
	rows     [][]engine.Value
	affected int64
	insertID int64
}

// newPlanRunner opens an engine in a temporary directory with ids 1, 2, 3...
// (stride 1) and database "test" selected.
func newPlanRunner(t testing.TB) *planRunner {
	t.Helper()
	cfg := engine.DefaultConfig()
	cfg.DataDir = t.TempDir()
	cfg.DefaultDatabase = "test"
	cfg.Stride, cfg.Slot = 1, 1
	cfg.DefaultConsistency = engine.ConsistencyOne
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	eng, err := engine.Open(cfg)
	if err != nil {
		t.Fatalf("open engine: %v", err)
	}
	t.Cleanup(func() { eng.Close() })
	tr, err := NewTranslator(DefaultTranslatorConfig())
	if err != nil {
		t.Fatal(err)
	}
	r := &planRunner{t: t, tr: tr, eng: eng}
	r.sess = SessionInfo{Database: "test", User: "root@localhost", ConnectionID: 7,
		Vars: map[string]engine.Value{}, UserVars: map[string]engine.Value{}}
	r.sess.Databases = func() []string {
		var names []string
		for _, d := range eng.Databases() {
			names = append(names, d.Name)
		}
		return names
	}
	return r
}

// run translates and executes one MySQL statement.
func (r *planRunner) run(sql string, params ...engine.Value) (result, error) {
	res, err := r.execute(sql, params)
	return res, engineToMySQL(err)
}

// engineToMySQL gives the engine errors the scripts check their MySQL
// numbers (the server has the complete mapping).
func engineToMySQL(err error) error {
	if err == nil || errors.As(err, new(*Error)) {
		return err
	}
	msg := engine.ErrorMessage(err)
	for prefix, code := range map[string]uint16{"no such column": 1054, "no such table": 1146,
		"UNIQUE constraint failed": 1062, "NOT NULL constraint failed": 1048} {
		if strings.HasPrefix(msg, prefix) {
			return &Error{Code: code, SQLState: "HY000", Message: msg}
		}
	}
	return err
}

// execute translates and executes one MySQL statement.
func (r *planRunner) execute(sql string, params []engine.Value) (result, error) {
	p, err := r.tr.Translate(sql, r.sess)
	if err != nil {
		return result{}, err
	}
	res := result{plan: p}
	ctx := context.Background()
	db := p.Database
	if db == "" {
		db = "test"
	}
	switch p.Kind {
	case PlanRead:
		err = r.read(ctx, db, p, params, &res)
	case PlanWrite:
		err = r.write(ctx, db, p, params, &res)
	case PlanDDL:
		var sts []engine.Statement
		for _, s := range p.Statements {
			sts = append(sts, engine.Statement{SQL: s})
		}
		_, err = r.eng.Exec(ctx, db, sts, engine.ExecOptions{})
		r.sess.RowCount = 0
	case PlanSet:
		err = r.set(ctx, db, p, params)
	default:
		err = r.control(ctx, p)
	}
	return res, err
}

func (r *planRunner) read(ctx context.Context, db string, p Plan, params []engine.Value, res *result) error {
	rows, err := r.query(ctx, db, p.SQL, params)
	if err != nil {
		return err
	}
	for _, c := range rows.Columns {
		res.columns = append(res.columns, c.Name)
	}
	res.rows = rows.Rows
	r.sess.FoundRows, r.sess.RowCount = int64(len(rows.Rows)), -1
	if p.FoundRowsSQL != "" {
		count, err := r.query(ctx, db, p.FoundRowsSQL, params[:p.FoundRowsParams])
		if err != nil {
			return fmt.Errorf("found rows: %w", err)
		}
		r.sess.FoundRows = count.Rows[0][0].(int64)
	}
	return nil
}

func (r *planRunner) query(ctx context.Context, db, sql string, params []engine.Value) (*engine.Rows, error) {
	st := engine.Statement{SQL: sql, Params: engine.Params{Positional: params}}
	if r.tx != nil {
		return r.tx.Query(ctx, st)
	}
	return r.eng.Query(ctx, db, st, engine.QueryOptions{})
}

func (r *planRunner) write(ctx context.Context, db string, p Plan, params []engine.Value, res *result) error {
	st := engine.Statement{SQL: p.SQL, Params: engine.Params{Positional: params}}
	var out engine.Result
	if r.tx != nil {
		var err error
		if out, err = r.tx.Exec(ctx, st); err != nil {
			return err
		}
	} else {
		resp, err := r.eng.Exec(ctx, db, []engine.Statement{st}, engine.ExecOptions{})
		if err != nil {
			return err
		}
		out = resp.Results[0]
	}
	res.affected, res.insertID = out.RowsAffected, out.LastInsertID
	r.sess.RowCount = out.RowsAffected
	if p.InsertRows > 0 && out.LastInsertID > 0 && out.RowsAffected > 0 {
		r.sess.LastInsertID = uint64(out.LastInsertID - int64(p.InsertRows-1)) // stride 1
	}
	return nil
}

// set applies SET the way the server must: evaluate expressions, check
// system values, remember them in the session.
func (r *planRunner) set(ctx context.Context, db string, p Plan, params []engine.Value) error {
	for _, st := range p.Settings {
		v := st.Value
		if st.SQL != "" {
			rows, err := r.query(ctx, db, st.SQL, params[:st.Params])
			if err != nil {
				return err
			}
			v = rows.Rows[0][0]
		}
		switch st.Kind {
		case SettingUser:
			r.sess.UserVars[st.Name] = v
			continue
		case SettingNames, SettingCharset:
			r.sess.Vars["character_set_client"] = v
			continue
		}
		checked, err := r.tr.CheckSetting(st, v)
		if err != nil {
			return err
		}
		r.sess.Vars[st.Name] = checked
	}
	return nil
}

// control runs the plans that are not SQL.
func (r *planRunner) control(ctx context.Context, p Plan) error {
	var err error
	switch p.Kind {
	case PlanUse:
		for _, d := range r.eng.Databases() {
			if d.Name == p.Database {
				r.sess.Database = p.Database
				return nil
			}
		}
		return &Error{Code: 1049, SQLState: "42000", Message: "Unknown database '" + p.Database + "'"}
	case PlanCreateDatabase:
		if err = r.eng.CreateDatabase(p.Database); err != nil && p.IfNotExists && engine.ErrorCode(err) == engine.CodeExists {
			err = nil
		}
	case PlanDropDatabase:
		if err = r.eng.DropDatabase(p.Database); err != nil && p.IfExists && engine.ErrorCode(err) == engine.CodeNotFound {
			err = nil
		}
	case PlanBegin:
		db := r.sess.Database
		r.tx, err = r.eng.Begin(ctx, db, engine.TxOptions{ReadOnly: p.ReadOnly})
	case PlanCommit, PlanRollback:
		if r.tx != nil {
			if p.Kind == PlanCommit {
				_, err = r.tx.Commit(ctx)
			} else {
				err = r.tx.Rollback()
			}
			r.tx = nil
		}
	case PlanNoop, PlanKill:
	default:
		err = errors.New("unknown plan kind " + p.Kind.String())
	}
	return err
}

// mustRun runs a statement that must succeed.
func (r *planRunner) mustRun(sql string, params ...engine.Value) result {
	r.t.Helper()
	res, err := r.run(sql, params...)
	if err != nil {
		r.t.Fatalf("%s\n  plan: %s\n  error: %v", sql, planText(res.plan), err)
	}
	return res
}

// planText shows a plan's SQL for failure messages.
func planText(p Plan) string {
	if p.Kind == PlanDDL {
		return strings.Join(p.Statements, ";\n        ")
	}
	return p.SQL
}
