package engine

import (
	"strconv"
	"strings"

	"github.com/warren-db/warren/engine/internal/sqlite3"
	"github.com/warren-db/warren/engine/internal/sqlparse"
)

// bindParams binds p to the parameters of s. Named parameters take values
// from p.Named (keys without their prefix); when p.Named is empty, every
// parameter takes the positional value at its index. Missing values and
// unused positional values are errors, so a typo never binds NULL silently.
// ids, when set, are the minted ids the rewrite added as parameters; then
// the client's anonymous parameters take its positional values in order.
func bindParams(s *sqlite3.Stmt, p Params, ids *sqlparse.Rewrite) error {
	if ids != nil {
		return bindWithIDs(s, p, ids)
	}
	n := s.ParamCount()
	if len(p.Positional) > n {
		return Errorf(CodeInvalid, "statement takes %d parameters, got %d", n, len(p.Positional))
	}
	for i := 1; i <= n; i++ {
		v, err := paramValue(s.ParamName(i), i, p)
		if err != nil {
			return err
		}
		if err := bind(s, i, v); err != nil {
			return err
		}
	}
	return nil
}

// bindWithIDs binds a statement whose rewrite added id parameters.
func bindWithIDs(s *sqlite3.Stmt, p Params, ids *sqlparse.Rewrite) error {
	next := 0
	for i := 1; i <= s.ParamCount(); i++ {
		name := s.ParamName(i)
		var v Value
		if k, ok := idParam(name, ids); ok {
			v = ids.ID(k)
		} else if name != "" && len(p.Named) > 0 {
			var err error
			if v, err = paramValue(name, i, p); err != nil {
				return err
			}
		} else {
			next++
			var err error
			if v, err = paramValue("", next, p); err != nil {
				return err
			}
		}
		if err := bind(s, i, v); err != nil {
			return err
		}
	}
	if next < len(p.Positional) {
		return Errorf(CodeInvalid, "statement takes %d parameters, got %d", next, len(p.Positional))
	}
	return nil
}

// idParam reports whether name is the k-th minted id parameter.
func idParam(name string, ids *sqlparse.Rewrite) (int, bool) {
	rest, ok := strings.CutPrefix(name, sqlparse.IDParamPrefix)
	if !ok {
		return 0, false
	}
	k, err := strconv.Atoi(rest)
	return k, err == nil && k >= 0 && k < ids.IDParams
}

func bind(s *sqlite3.Stmt, i int, v Value) error {
	if err := s.Bind(i, v); err != nil {
		return &Error{Code: CodeInvalid, Message: err.Error(), Err: err}
	}
	return nil
}
func paramValue(name string, i int, p Params) (Value, error) {
	if name != "" && name[0] != '?' && len(p.Named) > 0 {
		v, ok := p.Named[name[1:]]
		if !ok {
			return nil, Errorf(CodeInvalid, "no value for parameter %s", name)
		}
		return v, nil
	}
	if i > len(p.Positional) {
		if name == "" {
			name = "?"
		}
		return nil, Errorf(CodeInvalid, "no value for parameter %d (%s)", i, name)
	}
	return p.Positional[i-1], nil
}
