package replication

import (
	"crypto/hkdf"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"time"

	"github.com/quic-go/quic-go"
)

// statelessResetInfo derives the QUIC stateless reset key. The key must
// survive restarts of a node, so a restarted node can reset connections its
// previous incarnation held and peers notice at once.
const statelessResetInfo = "warren quic stateless reset v1|"

// peerIdentity is this node's TLS material: the CA that peers must chain to
// and the leaf certificate it presents.
type peerIdentity struct {
	roots    *x509.CertPool
	leaf     tls.Certificate
	resetKey quic.StatelessResetKey
}

// newPeerIdentity builds the identity from the operator CA files when they
// are configured, else from the cluster secret.
func newPeerIdentity(cfg *TransportConfig) (*peerIdentity, error) {
	if cfg.usesCAFiles() {
		return loadOperatorIdentity(cfg)
	}
	return secretIdentity(cfg.Secret, cfg.NodeID, time.Now())
}

// secretIdentity derives the cluster CA from secret and issues a leaf for nodeID.
func secretIdentity(secret, nodeID string, now time.Time) (*peerIdentity, error) {
	ca, err := deriveClusterCA(secret)
	if err != nil {
		return nil, err
	}
	leaf, err := ca.issueLeaf(nodeID, now)
	if err != nil {
		return nil, err
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca.cert)
	id := &peerIdentity{roots: roots, leaf: leaf}
	if err := deriveResetKey(&id.resetKey, []byte(secret), nodeID); err != nil {
		return nil, err
	}
	return id, nil
}

// deriveResetKey fills key from keying material that is stable across restarts.
func deriveResetKey(key *quic.StatelessResetKey, material []byte, nodeID string) error {
	b, err := hkdf.Key(sha256.New, material, nil, statelessResetInfo+nodeID, len(key))
	if err != nil {
		return fmt.Errorf("derive stateless reset key: %w", err)
	}
	copy(key[:], b)
	return nil
}

// serverTLS is the listener side: TLS 1.3, a client certificate chaining to
// the CA is required, and it must name a node.
func (id *peerIdentity) serverTLS() *tls.Config {
	return &tls.Config{
		MinVersion:             tls.VersionTLS13,
		Certificates:           []tls.Certificate{id.leaf},
		ClientAuth:             tls.RequireAndVerifyClientCert,
		ClientCAs:              id.roots,
		NextProtos:             []string{peerALPNKeep, peerALPN},
		SessionTicketsDisabled: true,
		VerifyConnection:       verifyPeerNamesNode,
	}
}

// clientTLS is the dialing side: TLS 1.3, the server must present a chain to
// the CA for "warren.peer" that names a node.
func (id *peerIdentity) clientTLS() *tls.Config {
	return &tls.Config{
		MinVersion:             tls.VersionTLS13,
		Certificates:           []tls.Certificate{id.leaf},
		RootCAs:                id.roots,
		ServerName:             peerServerName,
		NextProtos:             []string{peerALPNKeep, peerALPN},
		SessionTicketsDisabled: true,
		VerifyConnection:       verifyPeerNamesNode,
	}
}

// verifyPeerNamesNode runs after chain verification and rejects a verified
// certificate that carries no node id.
func verifyPeerNamesNode(cs tls.ConnectionState) error {
	if len(cs.VerifiedChains) == 0 || len(cs.PeerCertificates) == 0 {
		return fmt.Errorf("verify peer: no verified certificate")
	}
	if _, err := nodeIDFromCert(cs.PeerCertificates[0]); err != nil {
		return fmt.Errorf("verify peer: %w", err)
	}
	return nil
}

// peerNodeID returns the verified node id of a connection's peer.
func peerNodeID(cs tls.ConnectionState) (string, error) {
	if len(cs.VerifiedChains) == 0 || len(cs.PeerCertificates) == 0 {
		return "", fmt.Errorf("peer node id: unverified connection")
	}
	return nodeIDFromCert(cs.PeerCertificates[0])
}
