package mysqlwire

import (
	"net"
	"strings"
	"sync"
)

// Where an account comes from.
const (
	sourceConfig   = "config"   // Config.AdminUser or Config.Users: not changeable with SQL
	sourceSQL      = "sql"      // CREATE USER: kept in Config.Accounts or UsersFile
	sourceImplicit = "implicit" // root without a password from loopback, when no administrator is configured
)

// account is one MySQL user. Accounts are identified by name; Host
// restricts where the user may connect from.
type account struct {
	Name   string
	Host   string
	Plugin string
	Grants map[string]privilege // lower-case database name, or "*" for all
	passwordHashes
	admin  bool   // every privilege on every database, and account management
	source string // sourceConfig, sourceSQL or sourceImplicit
}

// userAtHost renders the account as CURRENT_USER() shows it.
func (a *account) userAtHost() string { return a.Name + "@" + a.Host }

// privileges returns what a may do on database db.
func (a *account) privileges(db string) privilege {
	if a.admin {
		return privAll | privGrantOption
	}
	return a.Grants["*"] | a.Grants[strings.ToLower(db)]
}

// canManageAccounts reports whether a may CREATE USER, GRANT and DROP USER.
func (a *account) canManageAccounts() bool { return a.admin }

// clone returns a copy that shares nothing mutable with a.
func (a *account) clone() *account {
	c := *a
	c.Grants = make(map[string]privilege, len(a.Grants))
	for db, p := range a.Grants {
		c.Grants[db] = p
	}
	return &c
}

// accountStore holds the accounts. It is safe for concurrent use; accounts
// it hands out are snapshots that later changes do not touch.
type accountStore struct {
	mu     sync.RWMutex
	byName map[string]*account
	file   string // "" keeps SQL-made accounts in memory only

	backend      AccountBackend      // keeps SQL-made accounts instead of file, when set
	config       map[string]*account // the configured accounts, with a backend
	implicitRoot bool                // no administrator is configured
}

// lookup returns the account name may log in as from addr, or nil.
func (s *accountStore) lookup(name string, addr net.Addr) *account {
	s.mu.RLock()
	a := s.byName[name]
	s.mu.RUnlock()
	if a == nil || !hostMatches(a.Host, addr) {
		return nil
	}
	return a
}

// get returns the account named name, or nil.
func (s *accountStore) get(name string) *account {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.byName[name]
}

// update applies fn to a copy of the account named name (nil if none) and
// stores the copy fn returns (nil deletes), then saves it. fn's error
// leaves everything as it was.
func (s *accountStore) update(name string, fn func(a *account) (*account, error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.byName[name]
	var cur *account
	if old != nil {
		cur = old.clone()
	}
	next, err := fn(cur)
	if err != nil {
		return err
	}
	if next == nil {
		delete(s.byName, name)
	} else {
		s.byName[name] = next
	}
	if err := s.persistLocked(name, next); err != nil {
		if old == nil {
			delete(s.byName, name)
		} else {
			s.byName[name] = old
		}
		return err
	}
	return nil
}

// list returns the accounts sorted by name.
func (s *accountStore) list() []*account {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]*account, 0, len(s.byName))
	for _, a := range s.byName {
		out = append(out, a)
	}
	sortAccounts(out)
	return out
}

// isLoopback reports whether addr is a loopback address (or a Unix socket).
func isLoopback(addr net.Addr) bool {
	switch a := addr.(type) {
	case *net.TCPAddr:
		return a.IP.IsLoopback()
	case *net.UnixAddr:
		return true
	}
	return false
}

// hostMatches reports whether a client at addr matches an account host: "%"
// matches everyone, "localhost" loopback clients, anything else the client's
// IP address as a LIKE pattern (% and _ wildcards).
func hostMatches(pattern string, addr net.Addr) bool {
	switch strings.ToLower(pattern) {
	case "%", "":
		return true
	case "localhost":
		return isLoopback(addr)
	}
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return false
	}
	ip := tcp.IP
	if v4 := ip.To4(); v4 != nil {
		ip = v4
	}
	return likeMatch(strings.ToLower(pattern), ip.String())
}

// likeMatch matches s against a LIKE pattern with % and _.
func likeMatch(pattern, s string) bool {
	for len(pattern) > 0 {
		switch pattern[0] {
		case '%':
			for i := len(s); i >= 0; i-- {
				if likeMatch(pattern[1:], s[i:]) {
					return true
				}
			}
			return false
		case '_':
			if s == "" {
				return false
			}
		default:
			if s == "" || s[0] != pattern[0] {
				return false
			}
		}
		pattern, s = pattern[1:], s[1:]
	}
	return s == ""
}
