package mysqlwire

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
)

// AccountBackend keeps the accounts made with SQL (CREATE USER, GRANT, ...)
// in place of UsersFile: cmd/warren gives one shared by the whole cluster.
// A value is one account's JSON, password hashes only. Implementations
// must be safe for concurrent use.
type AccountBackend interface {
	// Load returns every account by name.
	Load() (map[string][]byte, error)
	// Save stores the account name.
	Save(name string, data []byte) error
	// Delete removes the account name.
	Delete(name string) error
	// Watch registers fn to run after accounts changed other than through
	// Save and Delete (on another node).
	Watch(fn func())
}

// useBackend makes b keep the SQL-made accounts: it moves the accounts of
// UsersFile into b (once: the file is then renamed), loads b and follows
// its changes.
func (s *accountStore) useBackend(b AccountBackend, log *slog.Logger) error {
	s.backend, s.config = b, maps.Clone(s.byName)
	if err := s.importFile(); err != nil {
		return err
	}
	b.Watch(func() { // before the first load: no change falls in between
		if err := s.reload(log); err != nil {
			log.Warn("reload mysql accounts", "err", err)
		}
	})
	return s.reload(log)
}

// importFile saves the accounts of UsersFile that the backend lacks, then
// renames the file so that accounts dropped later do not come back.
func (s *accountStore) importFile() error {
	if s.file == "" {
		return nil
	}
	if _, err := os.Stat(s.file); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	fromFile := &accountStore{byName: maps.Clone(s.config), file: s.file}
	if err := fromFile.load(); err != nil {
		return err
	}
	have, err := s.backend.Load()
	if err != nil {
		return fmt.Errorf("load mysql accounts: %w", err)
	}
	for name, a := range fromFile.byName {
		if _, ok := have[name]; ok || a.source != sourceSQL {
			continue
		}
		if err := s.persistLocked(name, a); err != nil {
			return err
		}
	}
	if err := os.Rename(s.file, s.file+".imported"); err != nil {
		return fmt.Errorf("import mysql users: %w", err)
	}
	return nil
}

// reload rebuilds the accounts from the configured ones and the backend's.
// An account of the backend that a configured one names, or that does not
// decode, is skipped.
func (s *accountStore) reload(log *slog.Logger) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	stored, err := s.backend.Load()
	if err != nil {
		return fmt.Errorf("load mysql accounts: %w", err)
	}
	byName := maps.Clone(s.config)
	for name, data := range stored {
		var fa fileAccount
		err := json.Unmarshal(data, &fa)
		var a *account
		if err == nil {
			a, err = fa.decode()
		}
		switch {
		case err != nil:
			log.Warn("skip stored mysql account", "account", name, "err", err)
		case a.Name != name:
			log.Warn("skip stored mysql account", "account", name, "err", "stored under another name: "+a.Name)
		case byName[name] != nil:
			log.Warn("skip stored mysql account: the node's configuration defines it", "account", name)
		default:
			byName[name] = a
		}
	}
	s.byName = byName
	s.addImplicitRoot()
	return nil
}

// persistLocked saves the change of account name to next (nil: dropped).
// The caller holds s.mu.
func (s *accountStore) persistLocked(name string, next *account) error {
	if s.backend == nil {
		return s.saveLocked()
	}
	if next == nil {
		if err := s.backend.Delete(name); err != nil {
			return fmt.Errorf("delete mysql account: %w", err)
		}
		return nil
	}
	data, err := json.Marshal(encodeAccount(next))
	if err == nil {
		err = s.backend.Save(name, data)
	}
	if err != nil {
		return fmt.Errorf("save mysql account: %w", err)
	}
	return nil
}
