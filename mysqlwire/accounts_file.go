package mysqlwire

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/warren-db/warren/engine"
)

// usersFileVersion is the format version of UsersFile.
const usersFileVersion = 1

// usersFileData is the JSON form of UsersFile.
type usersFileData struct {
	Version int           `json:"version"`
	Users   []fileAccount `json:"users"`
}

// fileAccount is an account as UsersFile stores it: password hashes only.
type fileAccount struct {
	Name   string              `json:"name"`
	Host   string              `json:"host"`
	Plugin string              `json:"plugin"`
	Grants map[string][]string `json:"grants,omitempty"`
	passwordHashes
}

// newAccountStore builds the accounts: the administrator and users from cfg,
// then the ones in UsersFile (which may not reuse a configured name).
func newAccountStore(cfg Config) (*accountStore, error) {
	s := &accountStore{byName: make(map[string]*account)}
	if cfg.DataDir != "" {
		s.file = filepath.Join(cfg.DataDir, UsersFile)
	}
	if cfg.AdminUser != "" {
		s.byName[cfg.AdminUser] = &account{Name: cfg.AdminUser, Host: "%", Plugin: cfg.AuthPlugin,
			passwordHashes: hashPassword(cfg.AdminPassword), admin: true, source: sourceConfig}
	}
	for _, u := range cfg.Users {
		a, err := configAccount(u, cfg.AuthPlugin)
		if err != nil {
			return nil, err
		}
		if s.byName[a.Name] != nil {
			return nil, fmt.Errorf("mysql user %q is configured twice", a.Name)
		}
		s.byName[a.Name] = a
	}
	s.implicitRoot = cfg.AdminUser == ""
	if cfg.Accounts != nil {
		return s, s.useBackend(cfg.Accounts, cfg.Logger)
	}
	if err := s.load(); err != nil {
		return nil, err
	}
	s.addImplicitRoot()
	return s, nil
}

// addImplicitRoot adds root without a password from loopback, when no
// administrator is configured and no account is named root.
func (s *accountStore) addImplicitRoot() {
	if s.implicitRoot && s.byName["root"] == nil {
		s.byName["root"] = &account{Name: "root", Host: "localhost", Plugin: PluginNative,
			admin: true, source: sourceImplicit}
	}
}

// configAccount checks and converts one configured user.
func configAccount(u UserConfig, defaultPlugin string) (*account, error) {
	if err := u.Check(); err != nil {
		return nil, err
	}
	a := &account{Name: u.Name, Host: u.Host, Plugin: u.Plugin, Grants: make(map[string]privilege),
		passwordHashes: hashPassword(u.Password), source: sourceConfig}
	if a.Host == "" {
		a.Host = "%"
	}
	if a.Plugin == "" {
		a.Plugin = defaultPlugin
	}
	for db, list := range u.Grants {
		p, _ := parsePrivilegeList(list) // Check parsed it
		a.Grants[strings.ToLower(db)] |= p
	}
	return a, nil
}

// Check reports the first reason u cannot be an account: no name, a plugin
// other than PluginNative or PluginSHA2, or a grant naming an unknown
// privilege. It lets a configuration be checked before New.
func (u UserConfig) Check() error {
	if u.Name == "" {
		return errors.New("mysql user without a name")
	}
	if u.Plugin != "" && u.Plugin != PluginNative && u.Plugin != PluginSHA2 {
		return fmt.Errorf("mysql user %q: plugin %q is not supported: use %s or %s", u.Name, u.Plugin, PluginNative, PluginSHA2)
	}
	for db, list := range u.Grants {
		if _, err := parsePrivilegeList(list); err != nil {
			return fmt.Errorf("mysql user %q, grants on %q: %w", u.Name, db, err)
		}
	}
	return nil
}

// load reads UsersFile, if there is one.
func (s *accountStore) load() error {
	if s.file == "" {
		return nil
	}
	b, err := os.ReadFile(s.file)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read mysql users: %w", err)
	}
	var data usersFileData
	if err := json.Unmarshal(b, &data); err != nil {
		return fmt.Errorf("parse mysql users %s: %w", s.file, err)
	}
	if data.Version != usersFileVersion {
		return fmt.Errorf("parse mysql users %s: version %d is not %d", s.file, data.Version, usersFileVersion)
	}
	for _, fa := range data.Users {
		a, err := fa.decode()
		if err != nil {
			return fmt.Errorf("parse mysql users %s: %w", s.file, err)
		}
		if s.byName[a.Name] != nil {
			return fmt.Errorf("parse mysql users %s: user %q is also configured or listed twice", s.file, a.Name)
		}
		s.byName[a.Name] = a
	}
	return nil
}

// decode checks a stored account and converts its grants.
func (fa fileAccount) decode() (*account, error) {
	if fa.Name == "" {
		return nil, errors.New("user without a name")
	}
	a := &account{Name: fa.Name, Host: fa.Host, Plugin: fa.Plugin, passwordHashes: fa.passwordHashes,
		Grants: make(map[string]privilege), source: sourceSQL}
	if a.Plugin != PluginNative && a.Plugin != PluginSHA2 {
		return nil, fmt.Errorf("user %q: unknown plugin %q", a.Name, a.Plugin)
	}
	for db, names := range fa.Grants {
		p, err := parsePrivilegeList(strings.Join(names, ","))
		if err != nil {
			return nil, fmt.Errorf("user %q: %w", a.Name, err)
		}
		a.Grants[db] = p
	}
	return a, nil
}

// saveLocked writes the SQL-made accounts to UsersFile atomically. The
// caller holds s.mu.
func (s *accountStore) saveLocked() error {
	if s.file == "" {
		return nil
	}
	data := usersFileData{Version: usersFileVersion, Users: []fileAccount{}}
	for _, a := range s.byName {
		if a.source != sourceSQL {
			continue
		}
		data.Users = append(data.Users, encodeAccount(a))
	}
	sort.Slice(data.Users, func(i, j int) bool { return data.Users[i].Name < data.Users[j].Name })
	b, err := json.MarshalIndent(data, "", "  ")
	if err != nil {
		return fmt.Errorf("encode mysql users: %w", err)
	}
	if err := engine.WriteFileAtomic(s.file, append(b, '\n')); err != nil {
		return fmt.Errorf("write mysql users: %w", err)
	}
	return nil
}

// encodeAccount is a as UsersFile stores it.
func encodeAccount(a *account) fileAccount {
	fa := fileAccount{Name: a.Name, Host: a.Host, Plugin: a.Plugin, passwordHashes: a.passwordHashes,
		Grants: make(map[string][]string, len(a.Grants))}
	for db, p := range a.Grants {
		fa.Grants[db] = p.names()
	}
	return fa
}

// sortAccounts orders accounts by name.
func sortAccounts(as []*account) {
	sort.Slice(as, func(i, j int) bool { return as[i].Name < as[j].Name })
}
