package mysqlwire

import (
	"fmt"
	"slices"
	"strings"

	"github.com/go-mysql-org/go-mysql/mysql"
	"github.com/warren-db/warren/engine"
)

// runAccountStatement runs a parsed account statement.
func (s *session) runAccountStatement(st accountStmt, args []engine.Value) (*outcome, error) {
	if st.err != nil {
		return nil, st.err
	}
	if len(args) > 0 {
		return nil, errParse("account statements take no parameters")
	}
	if s.tx.open {
		if err := s.commitTx(s.ctx); err != nil { // account statements commit implicitly
			return nil, err
		}
	}
	a := s.account()
	if a == nil {
		return nil, accessDenied(s.user, hostOf(s.remote), true)
	}
	if st.verb == verbShowGrants {
		return s.showGrants(a, st)
	}
	if st.verb == verbSetPassword && st.users[0].name == "" {
		st.users[0].name, st.users[0].host = a.Name, a.Host // one's own password
	} else if !a.canManageAccounts() {
		return nil, &Error{Code: mysql.ER_SPECIFIC_ACCESS_DENIED_ERROR, SQLState: "42000",
			Message: "Access denied; you need (at least one of) the CREATE USER privilege(s) for this operation"}
	}
	if st.currentDB {
		if s.db == "" {
			return nil, errNoDatabase()
		}
		st.db = s.db
	}
	for _, u := range st.users {
		if u.name == "" {
			u.name, u.host = a.Name, a.Host
		}
		if err := s.applyAccountChange(st, u); err != nil {
			return nil, err
		}
	}
	return okOutcome, nil
}

// applyAccountChange applies st to one user and saves the accounts.
func (s *session) applyAccountChange(st accountStmt, u userSpec) error {
	if u.plugin != "" && u.plugin != PluginNative && u.plugin != PluginSHA2 {
		return errNotSupportedf("authentication plugin %s", u.plugin)
	}
	err := s.srv.accounts.update(u.name, func(a *account) (*account, error) {
		return s.changeAccount(st, u, a)
	})
	if err != nil {
		return err
	}
	s.log.Info("account changed", "statement", accountVerbNames[st.verb], "account", u.name+"@"+u.host)
	return nil
}

var accountVerbNames = map[accountVerb]string{verbCreateUser: "CREATE USER", verbDropUser: "DROP USER",
	verbAlterUser: "ALTER USER", verbSetPassword: "SET PASSWORD", verbGrant: "GRANT", verbRevoke: "REVOKE"}

// changeAccount returns what account a (nil: none) becomes under st.
func (s *session) changeAccount(st accountStmt, u userSpec, a *account) (*account, error) {
	failed := &Error{Code: mysql.ER_CANNOT_USER, SQLState: "HY000",
		Message: fmt.Sprintf("Operation %s failed for '%s'@'%s'", accountVerbNames[st.verb], u.name, u.host)}
	exists := a != nil && strings.EqualFold(a.Host, u.host)
	switch {
	case a != nil && a.source != sourceSQL && st.verb != verbCreateUser:
		failed.Message += ": the account is defined in the node's configuration"
		return nil, failed
	case st.verb == verbCreateUser && a != nil:
		if st.ifExists && exists {
			return a, nil
		}
		return nil, failed
	case st.verb == verbCreateUser:
		return s.newAccount(u), nil
	case st.verb == verbGrant && a == nil && u.hasPassword:
		a = s.newAccount(u) // GRANT ... IDENTIFIED BY, as MySQL 5.7 allowed
		exists = true
	case !exists && st.ifExists:
		return a, nil
	case !exists && st.verb == verbGrant:
		return nil, &Error{Code: 1410, SQLState: "42000", Message: "You are not allowed to create a user with GRANT"}
	case !exists && st.verb == verbRevoke:
		return nil, &Error{Code: mysql.ER_NONEXISTING_GRANT, SQLState: "42000",
			Message: fmt.Sprintf("There is no such grant defined for user '%s' on host '%s'", u.name, u.host)}
	case !exists:
		return nil, failed
	}
	return s.alterAccount(st, u, a)
}

// alterAccount applies DROP USER, ALTER USER, SET PASSWORD, GRANT or REVOKE
// to an existing account.
func (s *session) alterAccount(st accountStmt, u userSpec, a *account) (*account, error) {
	switch st.verb {
	case verbDropUser:
		return nil, nil
	case verbGrant, verbRevoke:
		db := strings.ToLower(st.db)
		if st.verb == verbGrant {
			a.Grants[db] |= st.privs
			if st.grantOption {
				a.Grants[db] |= privGrantOption
			}
		} else if a.Grants[db] &^= st.privs; a.Grants[db] == privNone {
			delete(a.Grants, db)
		}
	}
	if u.hasPassword {
		a.passwordHashes = hashPassword(u.password)
	}
	if u.plugin != "" {
		a.Plugin = u.plugin
	}
	return a, nil
}

// newAccount is the account CREATE USER makes.
func (s *session) newAccount(u userSpec) *account {
	a := &account{Name: u.name, Host: u.host, Plugin: u.plugin, Grants: make(map[string]privilege),
		passwordHashes: hashPassword(u.password), source: sourceSQL}
	if a.Plugin == "" {
		a.Plugin = s.srv.cfg.AuthPlugin
	}
	return a
}

// showGrants is SHOW GRANTS [FOR user]: anyone may see their own grants,
// the administrator anyone's.
func (s *session) showGrants(self *account, st accountStmt) (*outcome, error) {
	target := self
	if len(st.users) > 0 && st.users[0].name != "" && st.users[0].name != self.Name {
		if !self.canManageAccounts() {
			return nil, &Error{Code: mysql.ER_TABLEACCESS_DENIED_ERROR, SQLState: "42000",
				Message: fmt.Sprintf("SELECT command denied to user '%s'@'%s' for table 'user'", self.Name, self.Host)}
		}
		if target = s.srv.accounts.get(st.users[0].name); target == nil {
			u := st.users[0]
			return nil, &Error{Code: mysql.ER_NONEXISTING_GRANT, SQLState: "42000",
				Message: fmt.Sprintf("There is no such grant defined for user '%s' on host '%s'", u.name, u.host)}
		}
	}
	who := fmt.Sprintf("`%s`@`%s`", target.Name, target.Host)
	rows := [][]engine.Value{}
	global := privNone
	if target.admin {
		global = privAll | privGrantOption
	}
	global |= target.Grants["*"]
	rows = append(rows, []engine.Value{grantLine(global, "*.*", who)})
	for _, db := range sortedKeys(target.Grants) {
		if db != "*" {
			rows = append(rows, []engine.Value{grantLine(target.Grants[db], "`"+db+"`.*", who)})
		}
	}
	name := "Grants for " + target.Name + "@" + target.Host
	return &outcome{rows: &engine.Rows{Columns: []engine.Column{{Name: name, DeclType: "text"}}, Rows: rows}}, nil
}

// grantLine renders one line of SHOW GRANTS.
func grantLine(p privilege, on, who string) string {
	line := "GRANT " + strings.Join(withoutGrantOption(p).names(), ", ") + " ON " + on + " TO " + who
	if p&privGrantOption != 0 {
		line += " WITH GRANT OPTION"
	}
	return line
}

func withoutGrantOption(p privilege) privilege { return p &^ privGrantOption }

func sortedKeys(m map[string]privilege) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
