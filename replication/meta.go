package replication

import (
	"errors"
	"fmt"
	"math"

	"github.com/hashicorp/memberlist"
)

// Member roles. Only voters count toward write quorums.
const (
	// RoleVoter is a full member whose acknowledgements count toward quorum.
	RoleVoter = "voter"
	// RoleReplica receives every change but does not count toward quorum.
	RoleReplica = "replica"
)

// MetaMaxSize is the largest encoded Meta that gossip carries (memberlist's limit).
const MetaMaxSize = memberlist.MetaMaxSize

// metaFormat versions the metadata encoding independently of memberlist's
// protocol. Fields added later are appended and do not change the format: a
// decoder ignores bytes it does not know. Only an incompatible change bumps it.
const metaFormat = 1

// metaFlagLeaving marks a node that is leaving gracefully: when it then
// disappears, the others list it as MemberLeft rather than MemberDead.
// (memberlist does not tell its delegates whether a node left or failed.)
const metaFlagLeaving = 1 << 0

// ErrMetaTooLarge reports node metadata whose encoding exceeds MetaMaxSize.
var ErrMetaTooLarge = errors.New("node metadata too large")

// errMetaFormat reports metadata written in a format this build cannot read.
var errMetaFormat = errors.New("unsupported node metadata format")

// Meta is what a node tells the cluster about itself through gossip.
type Meta struct {
	// NodeID is the unique, stable node name (the memberlist node name).
	NodeID string
	// Slot is the node's id slot; 0 means not claimed yet.
	Slot int
	// Region is a free-form location label such as "ams".
	Region string
	// Role is RoleVoter or RoleReplica; empty means RoleVoter.
	Role string
	// QUICAddr, HTTPAddr and MySQLAddr are the node's advertised service addresses.
	QUICAddr, HTTPAddr, MySQLAddr string
	// Version is the Warren build version.
	Version string
}

// normalized returns meta with defaults applied (an empty Role is RoleVoter).
func (m Meta) normalized() Meta {
	if m.Role == "" {
		m.Role = RoleVoter
	}
	return m
}

// validate checks what this node may advertise about itself.
func (m Meta) validate() error {
	switch {
	case m.NodeID == "":
		return errors.New("node id is empty")
	case m.Slot < 0 || m.Slot > math.MaxInt32:
		return fmt.Errorf("slot %d out of range", m.Slot)
	case m.Role != RoleVoter && m.Role != RoleReplica:
		return fmt.Errorf("role %q is neither %q nor %q", m.Role, RoleVoter, RoleReplica)
	}
	return nil
}

// encodeMeta validates meta and encodes it for gossip with the given flags.
// NodeID is not encoded: it travels as the memberlist node name.
func encodeMeta(meta Meta, flags uint64) ([]byte, error) {
	meta = meta.normalized()
	if err := meta.validate(); err != nil {
		return nil, fmt.Errorf("encode node metadata: %w", err)
	}
	w := codecWriter{buf: []byte{metaFormat}}
	w.uvarint(uint64(meta.Slot))
	for _, s := range []string{meta.Region, meta.Role, meta.QUICAddr, meta.HTTPAddr, meta.MySQLAddr, meta.Version} {
		w.string(s)
	}
	w.uvarint(flags)
	if len(w.buf) > MetaMaxSize {
		return nil, fmt.Errorf("encode node metadata: %d bytes, limit %d: %w", len(w.buf), MetaMaxSize, ErrMetaTooLarge)
	}
	return w.buf, nil
}

// decodeMeta decodes the gossip metadata of the node called nodeID.
func decodeMeta(nodeID string, b []byte) (Meta, error) {
	meta, _, err := decodeMetaFlags(nodeID, b)
	return meta, err
}

// decodeMetaFlags decodes gossip metadata and its flags. Unknown roles are
// kept as they are (a newer node may know more roles; they do not vote), and
// bytes after the known fields are ignored (fields a newer node appended).
func decodeMetaFlags(nodeID string, b []byte) (Meta, uint64, error) {
	if len(b) == 0 {
		return Meta{}, 0, fmt.Errorf("decode node metadata: %w", errShortBuffer)
	}
	if b[0] != metaFormat {
		return Meta{}, 0, fmt.Errorf("decode node metadata: format %d: %w", b[0], errMetaFormat)
	}
	r := codecReader{buf: b[1:]}
	meta := Meta{NodeID: nodeID}
	slot := r.uvarint()
	meta.Region, meta.Role = r.string(), r.string()
	meta.QUICAddr, meta.HTTPAddr, meta.MySQLAddr = r.string(), r.string(), r.string()
	meta.Version = r.string()
	flags := r.uvarint()
	if r.err != nil {
		return Meta{}, 0, fmt.Errorf("decode node metadata: %w", r.err)
	}
	if slot > math.MaxInt32 {
		return Meta{}, 0, fmt.Errorf("decode node metadata: slot %d out of range", slot)
	}
	meta.Slot = int(slot)
	return meta, flags, nil
}
