package replication

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/warren-db/warren/engine"
)

// Message kinds of the replication protocol (transport kinds 0-15 are the
// transport's own). Payloads are JSON, except the binary form of the
// messages every write sends (node_codec.go); every decoder is fuzzed.
const (
	kindPrepare   Kind = 16 + iota // stage change sets of a QUORUM/ALL write
	kindCommit                     // the coordinator committed staged sets
	kindAbort                      // the coordinator rolled staged sets back
	kindPush                       // change sets of ONE writes, to apply
	kindPull                       // anti-entropy: sets the caller lacks
	kindStatus                     // vectors and schema versions of every database
	kindSetStatus                  // does your log hold this set of yours?
	kindSnapshot                   // stream a consistent copy of a database
	kindLock                       // take or release a database's schema lease
	kindAnnounce                   // databases created or dropped, registry records written
)

type setsMsg struct {
	DB   string              `json:"db"`
	Sets []*engine.ChangeSet `json:"sets"`
}

type idsMsg struct {
	DB  string         `json:"db"`
	IDs []engine.SetID `json:"ids"`
}

type pullReq struct {
	DB     string        `json:"db"`
	Vector engine.Vector `json:"vector"`
	Limit  int           `json:"limit"`
}

type pullResp struct {
	Sets     []*engine.ChangeSet `json:"sets,omitempty"`
	More     bool                `json:"more,omitempty"`
	Snapshot string              `json:"snapshot,omitempty"` // why the caller needs a snapshot instead
}

type statusResp struct {
	NodeID    string                          `json:"node_id"`
	Databases map[string]dbStatus             `json:"databases"`
	Catalog   map[string]engine.CatalogRecord `json:"catalog,omitempty"`
	// Registry is every registry record, tombstones included, by kind and name.
	Registry map[string]map[string]engine.RegistryRecord `json:"registry,omitempty"`
}

type dbStatus struct {
	Vector        engine.Vector `json:"vector"`
	SchemaVersion int64         `json:"schema_version"`
}

// announceMsg carries what a node changed in its catalog or registry; the
// peers merge it as they merge the same fields of statusResp.
type announceMsg struct {
	Catalog  map[string]engine.CatalogRecord             `json:"catalog,omitempty"`
	Registry map[string]map[string]engine.RegistryRecord `json:"registry,omitempty"`
}

type setStatusReq struct {
	DB string       `json:"db"`
	ID engine.SetID `json:"id"`
}

type setStatusResp struct {
	State engine.SetState `json:"state"`
}

type lockReq struct {
	DB      string        `json:"db"`
	Holder  string        `json:"holder"`
	Lease   time.Duration `json:"lease"`
	Release bool          `json:"release,omitempty"`
}

type lockResp struct {
	Granted       bool   `json:"granted"`
	Holder        string `json:"holder,omitempty"`
	SchemaVersion int64  `json:"schema_version"`
}

type snapshotReq struct {
	DB string `json:"db"`
}

// snapshotHeader precedes a snapshot's bytes on the stream.
type snapshotHeader struct {
	Size   int64         `json:"size"`
	SHA256 string        `json:"sha256"`
	Vector engine.Vector `json:"vector"`
}

func encode(v any) []byte {
	if m, ok := v.(binaryEncoder); ok {
		return m.appendBinary(nil)
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("encode %T: %v", v, err)) // only our own plain structs are encoded
	}
	return b
}

func decode(b []byte, v any) error {
	if m, ok := v.(binaryDecoder); ok && len(b) > 0 && b[0] == binaryTag {
		if err := m.decodeBinary(b); err != nil {
			return fmt.Errorf("decode %T: %w", v, err)
		}
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode %T: %w", v, err)
	}
	return nil
}
