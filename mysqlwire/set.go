package mysqlwire

import (
	"context"
	"strconv"

	"github.com/warren-db/warren/engine"
)

// set is SET: each assignment in order, values checked by the translator.
func (s *session) set(ctx context.Context, p *Plan, args []engine.Value) (*outcome, error) {
	for _, st := range p.Settings {
		v := st.Value
		if st.SQL != "" {
			var err error
			if v, err = s.evaluate(ctx, st, args); err != nil {
				return nil, err
			}
		}
		if err := s.assign(ctx, st, v); err != nil {
			return nil, err
		}
	}
	return okOutcome, nil
}

// evaluate runs the query that computes a setting's value.
func (s *session) evaluate(ctx context.Context, st Setting, args []engine.Value) (engine.Value, error) {
	db := s.anyDatabase()
	if db == "" {
		return nil, errNoDatabase()
	}
	rows, err := s.query(ctx, db, engine.Statement{SQL: st.SQL, Params: engine.Params{Positional: args[:min(st.Params, len(args))]}})
	if err != nil {
		return nil, err
	}
	if len(rows.Rows) == 0 || len(rows.Rows[0]) == 0 {
		return nil, nil
	}
	return rows.Rows[0][0], nil
}

// assign applies one checked setting to the session.
func (s *session) assign(ctx context.Context, st Setting, v engine.Value) error {
	if st.Kind == SettingUser {
		s.userVars[st.Name] = v
		return nil
	}
	v, err := s.srv.tr.CheckSetting(st, v)
	if err != nil {
		return err
	}
	if st.Global {
		return errNotSupportedf("SET GLOBAL %s: configure the node instead", st.Name)
	}
	switch st.Kind {
	case SettingNames:
		for _, n := range []string{"character_set_client", "character_set_connection", "character_set_results"} {
			s.vars[n] = v
		}
		return nil
	case SettingCharset:
		s.vars["character_set_client"], s.vars["character_set_results"] = v, v
		return nil
	}
	return s.assignSystem(ctx, st, v)
}

// assignSystem sets a system variable; a few of them change how the
// session behaves.
func (s *session) assignSystem(ctx context.Context, st Setting, v engine.Value) error {
	if st.NextTransaction {
		if st.Name == "transaction_read_only" || st.Name == "tx_read_only" {
			s.nextTxReadOnly = v == int64(1)
		}
		return nil // isolation: Warren's write transactions are serializable
	}
	switch st.Name {
	case "autocommit":
		if err := s.setAutocommit(ctx, v == int64(1)); err != nil {
			return err
		}
	case "warren_consistency":
		name, _ := v.(string)
		s.consistency = consistencyOf(name)
	}
	s.vars[st.Name] = v
	return nil
}

// use makes db the current database (USE, COM_INIT_DB).
func (s *session) use(db string) error {
	a := s.account()
	if a == nil {
		return s.denied(db, privNone)
	}
	if err := s.srv.checkUse(a, db); err != nil {
		return err
	}
	s.db = db
	return nil
}

// checkUse reports whether account a may use database db.
func (srv *Server) checkUse(a *account, db string) *Error {
	if a.privileges(db) == privNone {
		return errDBAccessDenied(a, db)
	}
	if !srv.databaseExists(db) {
		return errUnknownDatabase(db)
	}
	return nil
}

// databaseExists reports whether the engine has database db.
func (srv *Server) databaseExists(db string) bool {
	for _, d := range srv.eng.Databases() {
		if d.Name == db {
			return true
		}
	}
	return false
}

// createDatabase is CREATE DATABASE: the engine creates it on this node and
// the cluster's catalog carries it to the others.
func (s *session) createDatabase(p *Plan) (*outcome, error) {
	if _, err := s.database(p, privCreate); err != nil {
		return nil, err
	}
	err := s.srv.eng.CreateDatabase(p.Database)
	if engine.ErrorCode(err) == engine.CodeExists && p.IfNotExists {
		return okOutcome, nil
	}
	if err != nil {
		return nil, err
	}
	return &outcome{affected: 1}, nil
}

// dropDatabase is DROP DATABASE.
func (s *session) dropDatabase(p *Plan) (*outcome, error) {
	if _, err := s.database(p, privDrop); err != nil {
		return nil, err
	}
	err := s.srv.eng.DropDatabase(p.Database)
	if engine.ErrorCode(err) == engine.CodeNotFound {
		if p.IfExists {
			return okOutcome, nil
		}
		return nil, &Error{Code: 1008, SQLState: "HY000", Message: "Can't drop database '" + p.Database + "'; database doesn't exist"}
	}
	if err != nil {
		return nil, err
	}
	if s.db == p.Database {
		s.db = ""
	}
	return okOutcome, nil
}

// killSession is KILL [QUERY] id: users may kill their own sessions, the
// administrator anyone's.
func (s *session) killSession(id uint64, queryOnly bool) error {
	target := s.srv.session(uint32(id))
	if target == nil || uint64(uint32(id)) != id {
		return &Error{Code: 1094, SQLState: "HY000", Message: "Unknown thread id: " + strconv.FormatUint(id, 10)}
	}
	if a := s.account(); target.user != s.user && (a == nil || !a.admin) {
		return &Error{Code: 1095, SQLState: "HY000", Message: "You are not owner of thread " + strconv.FormatUint(id, 10)}
	}
	if queryOnly {
		target.cancelQuery()
		return nil
	}
	s.log.Info("killing connection", "target", id)
	if target == s {
		s.cancel()
	}
	target.kill()
	return nil
}
