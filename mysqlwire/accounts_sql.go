package mysqlwire

import (
	"strings"
)

// Account statements are read here, not by the translator: they change the
// server's accounts, not a database.

// accountVerb says which account statement an accountStmt is.
type accountVerb uint8

const (
	verbCreateUser accountVerb = iota + 1
	verbDropUser
	verbAlterUser
	verbSetPassword
	verbGrant
	verbRevoke
	verbShowGrants
)

// accountStmt is a parsed account statement.
type accountStmt struct {
	verb        accountVerb
	users       []userSpec
	ifExists    bool // IF EXISTS / IF NOT EXISTS
	privs       privilege
	db          string // "*" for *.*
	currentDB   bool   // ON * (the current database)
	grantOption bool
	err         *Error // a statement recognized but malformed or unsupported
}

// userSpec is 'name'@'host' with an optional new password.
type userSpec struct {
	name, host  string
	plugin      string
	password    string
	hasPassword bool
}

// parseAccountStatement recognizes CREATE USER, DROP USER, ALTER USER, SET
// PASSWORD, GRANT, REVOKE and SHOW GRANTS. ok is false for anything else.
func parseAccountStatement(sql string) (accountStmt, bool) {
	w := leadingWords(sql, 2)
	if len(w) == 0 {
		return accountStmt{}, false
	}
	var verb accountVerb
	switch {
	case len(w) == 2 && w[0] == "CREATE" && w[1] == "USER":
		verb = verbCreateUser
	case len(w) == 2 && w[0] == "DROP" && w[1] == "USER":
		verb = verbDropUser
	case len(w) == 2 && w[0] == "ALTER" && w[1] == "USER":
		verb = verbAlterUser
	case len(w) == 2 && w[0] == "SET" && w[1] == "PASSWORD":
		verb = verbSetPassword
	case w[0] == "GRANT":
		verb = verbGrant
	case w[0] == "REVOKE":
		verb = verbRevoke
	case len(w) == 2 && w[0] == "SHOW" && w[1] == "GRANTS":
		verb = verbShowGrants
	default:
		return accountStmt{}, false
	}
	toks, ok := lexMySQL(sql)
	p := &accountParser{toks: toks}
	if !ok {
		return accountStmt{verb: verb, err: errParse("unterminated quoted string or comment")}, true
	}
	return p.parse(verb), true
}

// accountParser reads account statements token by token.
type accountParser struct {
	toks []token
	pos  int
	err  *Error
}

func (p *accountParser) parse(verb accountVerb) accountStmt {
	st := accountStmt{verb: verb}
	switch verb {
	case verbCreateUser, verbDropUser, verbAlterUser:
		p.skipWords(2)
		st.ifExists = p.ifExists(verb == verbCreateUser)
		st.users = p.userList(verb != verbDropUser)
	case verbSetPassword:
		st.users = p.setPassword()
	case verbGrant, verbRevoke:
		p.skipWords(1)
		p.grant(&st)
	case verbShowGrants:
		p.skipWords(2)
		st.users = p.showGrantsFor()
	}
	if p.err == nil && p.pos < len(p.toks) && !(p.pos == len(p.toks)-1 && p.toks[p.pos].kind == ';') {
		p.fail("near '" + p.toks[p.pos].show() + "'")
	}
	st.err = p.err
	return st
}

func (p *accountParser) fail(detail string) {
	if p.err == nil {
		p.err = errParse(detail)
	}
}

func (p *accountParser) peekWord(w string) bool {
	return p.pos < len(p.toks) && p.toks[p.pos].kind == 'w' && p.toks[p.pos].word == w
}

// acceptWords consumes the words if they come next.
func (p *accountParser) acceptWords(words ...string) bool {
	for i, w := range words {
		j := p.pos + i
		if j >= len(p.toks) || p.toks[j].kind != 'w' || p.toks[j].word != w {
			return false
		}
	}
	p.pos += len(words)
	return true
}

func (p *accountParser) accept(kind byte) bool {
	if p.pos < len(p.toks) && p.toks[p.pos].kind == kind {
		p.pos++
		return true
	}
	return false
}

func (p *accountParser) skipWords(n int) { p.pos += n }

// ifExists reads IF EXISTS, or IF NOT EXISTS when notExists.
func (p *accountParser) ifExists(notExists bool) bool {
	if notExists {
		return p.acceptWords("IF", "NOT", "EXISTS")
	}
	return p.acceptWords("IF", "EXISTS")
}

// name reads a user, host, database or plugin name: quoted or bare.
func (p *accountParser) name() string {
	if p.pos >= len(p.toks) {
		p.fail("a name is missing at the end")
		return ""
	}
	t := p.toks[p.pos]
	switch t.kind {
	case 's', 'i', 'w':
		p.pos++
		return t.text
	case '%':
		p.pos++
		return "%"
	}
	p.fail("near '" + t.show() + "'")
	return ""
}

// user reads name[@host]; the host defaults to %.
func (p *accountParser) user() userSpec {
	if p.acceptWords("CURRENT_USER") {
		if p.accept('(') && !p.accept(')') {
			p.fail("near 'CURRENT_USER('")
		}
		return userSpec{name: "", host: ""}
	}
	u := userSpec{name: p.name(), host: "%"}
	if p.accept('@') {
		u.host = p.name()
	}
	return u
}

// userList reads users, each optionally with IDENTIFIED ... when allowed.
func (p *accountParser) userList(identified bool) []userSpec {
	var users []userSpec
	for {
		u := p.user()
		if identified {
			p.identified(&u)
		}
		users = append(users, u)
		if !p.accept(',') || p.err != nil {
			return users
		}
	}
}

// identified reads IDENTIFIED [WITH plugin] [BY 'password'].
func (p *accountParser) identified(u *userSpec) {
	if !p.acceptWords("IDENTIFIED") {
		return
	}
	if p.acceptWords("WITH") {
		u.plugin = strings.ToLower(p.name())
	}
	if p.acceptWords("BY") {
		u.password, u.hasPassword = p.password(), true
	} else if u.plugin == "" {
		p.fail("IDENTIFIED needs WITH or BY")
	}
}

// password reads 'password' (or the PASSWORD('password') of old servers).
func (p *accountParser) password() string {
	if p.acceptWords("PASSWORD") {
		if !p.accept('(') {
			p.fail("near 'PASSWORD'")
		}
		pw := p.password()
		if !p.accept(')') {
			p.fail("near 'PASSWORD('")
		}
		return pw
	}
	if p.pos < len(p.toks) && p.toks[p.pos].kind == 's' {
		p.pos++
		return p.toks[p.pos-1].text
	}
	p.fail("a quoted password is missing")
	return ""
}

// setPassword reads SET PASSWORD [FOR user] = 'password'.
func (p *accountParser) setPassword() []userSpec {
	p.skipWords(2)
	u := userSpec{}
	if p.acceptWords("FOR") {
		u = p.user()
	}
	if !p.accept('=') {
		p.fail("SET PASSWORD needs =")
	}
	u.password, u.hasPassword = p.password(), true
	return []userSpec{u}
}

// grant reads GRANT privs ON target TO users [WITH GRANT OPTION] or REVOKE
// privs ON target FROM users.
func (p *accountParser) grant(st *accountStmt) {
	st.privs = p.privilegeList()
	if !p.acceptWords("ON") {
		p.fail("GRANT and REVOKE need ON db.*")
		return
	}
	p.acceptWords("TABLE")
	p.target(st)
	to := "TO"
	if st.verb == verbRevoke {
		to = "FROM"
	}
	if !p.acceptWords(to) {
		p.fail("near the account list: " + to + " is missing")
		return
	}
	st.users = p.userList(st.verb == verbGrant)
	if st.verb == verbGrant && p.acceptWords("WITH", "GRANT", "OPTION") {
		st.grantOption = true
	}
}

// privilegeList reads privilege names up to ON.
func (p *accountParser) privilegeList() privilege {
	var set privilege
	var words []string
	flush := func() {
		priv, err := parsePrivilege(strings.Join(words, " "))
		if err != nil {
			p.fail("unknown privilege '" + strings.Join(words, " ") + "'")
		}
		set, words = set|priv, nil
	}
	for p.err == nil && p.pos < len(p.toks) && !p.peekWord("ON") {
		t := p.toks[p.pos]
		switch t.kind {
		case 'w':
			words = append(words, t.word)
		case ',':
			flush()
		case '(':
			p.err = errNotSupported("column privileges")
			return 0
		default:
			p.fail("near '" + t.show() + "'")
		}
		p.pos++
	}
	if len(words) > 0 {
		flush()
	}
	return set
}

// target reads *.*, db.* or * (the current database).
func (p *accountParser) target(st *accountStmt) {
	if p.accept('*') {
		if p.accept('.') {
			if !p.accept('*') {
				p.err = errNotSupported("table privileges")
			}
			st.db = "*"
			return
		}
		st.currentDB = true
		return
	}
	st.db = p.name()
	if !p.accept('.') {
		p.err = errNotSupported("table privileges")
		return
	}
	if !p.accept('*') {
		p.err = errNotSupported("table privileges")
	}
}

// showGrantsFor reads the optional FOR user of SHOW GRANTS.
func (p *accountParser) showGrantsFor() []userSpec {
	if !p.acceptWords("FOR") {
		return nil
	}
	return []userSpec{p.user()}
}
