package engine

import (
	"github.com/warren-db/warren/engine/internal/sqlite3"
)

// bindParams binds p to the parameters of s. Named parameters take values
// from p.Named (keys without their prefix); when p.Named is empty, every
// parameter takes the positional value at its index. Missing values and
// unused positional values are errors, so a typo never binds NULL silently.
func bindParams(s *sqlite3.Stmt, p Params) error {
	n := s.ParamCount()
	if len(p.Positional) > n {
		return Errorf(CodeInvalid, "statement takes %d parameters, got %d", n, len(p.Positional))
	}
	for i := 1; i <= n; i++ {
		v, err := paramValue(s.ParamName(i), i, p)
		if err != nil {
			return err
		}
		if err := s.Bind(i, v); err != nil {
			return &Error{Code: CodeInvalid, Message: err.Error(), Err: err}
		}
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
