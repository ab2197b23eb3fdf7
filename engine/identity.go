package engine

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
)

// identity is what makes a node itself; it is created once and kept in the data dir.
type identity struct {
	NodeID string `json:"node_id"`
	Slot   int    `json:"slot,omitempty"` // the id slot this node claimed or was given
}

const identityFile = "node.json"

var nodeIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$`)

// loadIdentity reads the node identity, creating it on first start. A
// requested id must match the stored one: a data dir belongs to one node.
func loadIdentity(dir, requested string) (identity, error) {
	path := filepath.Join(dir, identityFile)
	data, err := os.ReadFile(path)
	if err == nil {
		var id identity
		if err := json.Unmarshal(data, &id); err != nil || id.NodeID == "" {
			return identity{}, fmt.Errorf("read node identity %s: malformed file", path)
		}
		if requested != "" && requested != id.NodeID {
			return identity{}, Errorf(CodeInvalid, "data dir %s belongs to node %q, not %q: use that node id or another data dir", dir, id.NodeID, requested)
		}
		return id, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return identity{}, fmt.Errorf("read node identity: %w", err)
	}
	id := identity{NodeID: requested}
	if id.NodeID == "" {
		id.NodeID = randomID()
	}
	if !nodeIDPattern.MatchString(id.NodeID) {
		return identity{}, Errorf(CodeInvalid, "node id %q is invalid: use 1-63 letters, digits, '_', '.', '-'", id.NodeID)
	}
	return id, WriteFileAtomic(path, mustJSON(id))
}

func randomID() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return "n" + hex.EncodeToString(b[:])
}

func mustJSON(v any) []byte {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic(err)
	}
	return b
}
