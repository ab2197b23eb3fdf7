package main

import (
	"encoding/json"

	"github.com/warren-db/warren/engine"
)

// mysqlUserKind is the engine registry kind of MySQL accounts made with SQL.
const mysqlUserKind = "mysql_user"

// registryAccounts keeps the MySQL accounts made with SQL in the engine's
// registry, which replicates them to every node (last write wins per
// account): it is the mysqlwire.AccountBackend of a node.
type registryAccounts struct{ eng *engine.Engine }

// Load returns every live account by name.
func (r registryAccounts) Load() (map[string][]byte, error) {
	recs := r.eng.Registry(mysqlUserKind)
	out := make(map[string][]byte, len(recs))
	for name, rec := range recs {
		out[name] = rec.Value
	}
	return out, nil
}

// Save stores one account.
func (r registryAccounts) Save(name string, data []byte) error {
	return r.eng.RegistryPut(mysqlUserKind, name, json.RawMessage(data))
}

// Delete drops one account.
func (r registryAccounts) Delete(name string) error {
	return r.eng.RegistryDelete(mysqlUserKind, name)
}

// Watch runs fn after anti-entropy changed the accounts.
func (r registryAccounts) Watch(fn func()) {
	r.eng.OnRegistryChange(func(kind string) {
		if kind == mysqlUserKind {
			fn()
		}
	})
}
