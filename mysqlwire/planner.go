package mysqlwire

import (
	"maps"

	"github.com/warren-db/warren/engine"
)

// newServerTranslator returns the translator of a server: its version, and
// the variables the node knows (the id stride and slot are MySQL's
// auto_increment_increment and auto_increment_offset).
func newServerTranslator(eng *engine.Engine, cfg Config) (*Translator, error) {
	tc := DefaultTranslatorConfig()
	tc.ServerVersion = cfg.Version
	tc.Variables = map[string]engine.Value{
		"auto_increment_increment": int64(eng.Stride()),
		"max_connections":          int64(cfg.MaxConnections),
		"wait_timeout":             int64(cfg.IdleTimeout.Seconds()),
		"have_ssl":                 haveSSL(cfg),
		"require_secure_transport": boolInt(cfg.RequireTLS),
		"warren_consistency":       cfg.DefaultConsistency.String(),
	}
	if slot, _ := eng.Slot(); slot > 0 {
		tc.Variables["auto_increment_offset"] = int64(slot)
	}
	if cfg.DefaultConsistency == engine.ConsistencyDefault {
		delete(tc.Variables, "warren_consistency")
	}
	maps.Copy(tc.Variables, cfg.Variables)
	return NewTranslator(tc)
}

func haveSSL(cfg Config) string {
	if cfg.TLS != nil {
		return "YES"
	}
	return "DISABLED"
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// consistencyOf is the level a warren_consistency value names.
func consistencyOf(name string) engine.Consistency {
	switch name {
	case "ONE":
		return engine.ConsistencyOne
	case "ALL":
		return engine.ConsistencyAll
	}
	return engine.ConsistencyQuorum
}
