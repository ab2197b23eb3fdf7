package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"net/http"
	"strings"

	"github.com/warren-db/warren/engine"
)

// Right is what a token may do with a database: RightRead < RightWrite < RightAdmin.
type Right int

// Rights, each including the ones below it.
const (
	RightNone  Right = iota // nothing
	RightRead               // query, list databases, cluster status
	RightWrite              // exec and interactive transactions
	RightAdmin              // create and drop databases, backup
)

// AllDatabases is the key of Token.Rights that grants a right on every database.
const AllDatabases = "*"

var rightNames = [...]string{"none", "read", "write", "admin"}

// String returns "read", "write", "admin" or "none".
func (r Right) String() string {
	if r < RightNone || r > RightAdmin {
		return fmt.Sprintf("Right(%d)", int(r))
	}
	return rightNames[r]
}

// MarshalText returns the name of r.
func (r Right) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText parses "read", "write" or "admin" (any case), so config
// files can name rights.
func (r *Right) UnmarshalText(b []byte) error {
	for i, n := range rightNames {
		if i > 0 && strings.EqualFold(n, string(b)) {
			*r = Right(i)
			return nil
		}
	}
	return fmt.Errorf("parse right %q: want read, write or admin", b)
}

// Token is one bearer token and its rights.
type Token struct {
	Name   string           // shown in logs and errors; never the secret
	Token  string           // the secret a client sends as "Authorization: Bearer <Token>"
	Rights map[string]Right // database name (or AllDatabases) → right
}

// principal is a configured token as the server keeps it: hashed, so that
// comparison takes the same time whatever the length of the guess.
type principal struct {
	name   string
	hash   [sha256.Size]byte
	rights map[string]Right
}

// newPrincipals checks and hashes the configured tokens.
func newPrincipals(tokens []Token) ([]*principal, error) {
	ps := make([]*principal, 0, len(tokens))
	seen := make(map[[sha256.Size]byte]bool, len(tokens))
	for i, t := range tokens {
		name := t.Name
		if name == "" {
			name = fmt.Sprintf("token-%d", i+1)
		}
		if t.Token == "" {
			return nil, fmt.Errorf("check token %q: the secret is empty", name)
		}
		h := sha256.Sum256([]byte(t.Token))
		if seen[h] {
			return nil, fmt.Errorf("check token %q: the same secret is configured twice", name)
		}
		seen[h] = true
		for db, r := range t.Rights {
			if r < RightNone || r > RightAdmin {
				return nil, fmt.Errorf("check token %q: invalid right %d on %q", name, int(r), db)
			}
		}
		ps = append(ps, &principal{name: name, hash: h, rights: t.Rights})
	}
	return ps, nil
}

// authenticate returns the principal of r's bearer token: nil when auth is
// off (no tokens configured), an unauthorized error when the token is
// missing or unknown. Every configured token is compared, in constant time.
func (s *Server) authenticate(r *http.Request) (*principal, error) {
	if len(s.principals) == 0 {
		return nil, nil
	}
	secret, ok := bearer(r.Header.Get("Authorization"))
	if !ok {
		return nil, engine.Errorf(engine.CodeUnauthorized, "missing bearer token (Authorization: Bearer <token>)")
	}
	h := sha256.Sum256([]byte(secret))
	var found *principal
	for _, p := range s.principals {
		if subtle.ConstantTimeCompare(h[:], p.hash[:]) == 1 {
			found = p
		}
	}
	if found == nil {
		return nil, engine.Errorf(engine.CodeUnauthorized, "invalid bearer token")
	}
	return found, nil
}

// bearer returns the token of an "Authorization: Bearer <token>" header.
func bearer(header string) (string, bool) {
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// rightOn returns p's right on db; a nil principal (auth off) may do anything.
func (p *principal) rightOn(db string) Right {
	if p == nil {
		return RightAdmin
	}
	return max(p.rights[db], p.rights[AllDatabases])
}

// rightAnywhere returns p's highest right on any database.
func (p *principal) rightAnywhere() Right {
	if p == nil {
		return RightAdmin
	}
	best := RightNone
	for _, r := range p.rights {
		best = max(best, r)
	}
	return best
}

// need returns a forbidden error unless p has want on db.
func (p *principal) need(want Right, db string) error {
	if p.rightOn(db) >= want {
		return nil
	}
	return engine.Errorf(engine.CodeForbidden, "token %q lacks the %s right on database %q", p.name, want, db)
}

// needAnywhere returns a forbidden error unless p has want on some database.
func (p *principal) needAnywhere(want Right) error {
	if p.rightAnywhere() >= want {
		return nil
	}
	return engine.Errorf(engine.CodeForbidden, "token %q lacks the %s right on every database", p.name, want)
}
