package replication

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
)

// errNoCACerts is returned for a CA file that holds no PEM certificate.
var errNoCACerts = errors.New("no PEM certificate found")

// loadOperatorIdentity loads an operator-provided CA and node certificate.
// The certificate must name this node (URI SAN warren://node/<id> or
// CommonName), carry the DNS SAN "warren.peer" and allow both server and
// client authentication.
func loadOperatorIdentity(cfg *TransportConfig) (*peerIdentity, error) {
	pem, err := os.ReadFile(cfg.CAFile)
	if err != nil {
		return nil, fmt.Errorf("read ca file: %w", err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("load ca file %s: %w", cfg.CAFile, errNoCACerts)
	}
	leaf, err := tls.LoadX509KeyPair(cfg.CertFile, cfg.KeyFile)
	if err != nil {
		return nil, fmt.Errorf("load node certificate: %w", err)
	}
	if err := checkOperatorLeaf(leaf.Leaf, roots, cfg.NodeID); err != nil {
		return nil, err
	}
	id := &peerIdentity{roots: roots, leaf: leaf}
	keyDER, err := x509.MarshalPKCS8PrivateKey(leaf.PrivateKey)
	if err != nil {
		return nil, fmt.Errorf("encode node key: %w", err)
	}
	if err := deriveResetKey(&id.resetKey, keyDER, cfg.NodeID); err != nil {
		return nil, err
	}
	return id, nil
}

// checkOperatorLeaf fails early, with a clear message, on a certificate that
// peers would reject or that names another node.
func checkOperatorLeaf(leaf *x509.Certificate, roots *x509.CertPool, nodeID string) error {
	for _, usage := range []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth} {
		opts := x509.VerifyOptions{Roots: roots, DNSName: peerServerName, KeyUsages: []x509.ExtKeyUsage{usage}}
		if _, err := leaf.Verify(opts); err != nil {
			return fmt.Errorf("verify node certificate (it must chain to the CA file, carry DNS SAN %q and allow server and client auth): %w", peerServerName, err)
		}
	}
	id, err := nodeIDFromCert(leaf)
	if err != nil {
		return fmt.Errorf("check node certificate: %w", err)
	}
	if id != nodeID {
		return fmt.Errorf("check node certificate: it names node %q, this node is %q", id, nodeID)
	}
	return nil
}
