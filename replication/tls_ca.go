package replication

import (
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net/url"
	"time"
)

// The derived cluster CA. Every node computes the same CA from the cluster
// secret, so holding the secret is what lets a node issue a trusted leaf.
const (
	clusterCAInfo   = "warren cluster ca v1"
	clusterCAName   = "Warren cluster CA v1"
	peerServerName  = "warren.peer" // DNS SAN of every leaf, ServerName of every dial
	peerALPN        = "warren/1"    // one stream per call
	peerALPNKeep    = "warren/2"    // streams kept across calls (transport_streams.go)
	nodeIDURIScheme = "warren"
	nodeIDURIHost   = "node"
)

var (
	clusterCANotBefore = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	clusterCANotAfter  = time.Date(2124, 1, 1, 0, 0, 0, 0, time.UTC)
)

// clusterCA is a CA certificate with its private key.
type clusterCA struct {
	cert *x509.Certificate
	key  ed25519.PrivateKey
}

// deriveClusterCA builds the cluster CA from secret. The key comes from
// HKDF-SHA256 and every certificate field is fixed, so the result (ed25519
// signatures being deterministic) is byte-identical on every node.
func deriveClusterCA(secret string) (*clusterCA, error) {
	seed, err := hkdf.Key(sha256.New, []byte(secret), nil, clusterCAInfo, ed25519.SeedSize)
	if err != nil {
		return nil, fmt.Errorf("derive cluster key: %w", err)
	}
	key := ed25519.NewKeyFromSeed(seed)
	pub := key.Public().(ed25519.PublicKey)
	keyID := sha256.Sum256(pub)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: clusterCAName, Organization: []string{"Warren"}},
		NotBefore:             clusterCANotBefore,
		NotAfter:              clusterCANotAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
		SubjectKeyId:          keyID[:20],
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, key)
	if err != nil {
		return nil, fmt.Errorf("create cluster ca: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parse cluster ca: %w", err)
	}
	return &clusterCA{cert: cert, key: key}, nil
}

// issueLeaf makes a fresh key and a certificate naming nodeID, signed by ca,
// usable both as a TLS client and a TLS server.
func (ca *clusterCA) issueLeaf(nodeID string, now time.Time) (tls.Certificate, error) {
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("generate node key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("generate serial: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: commonNameFor(nodeID)},
		NotBefore:    now.Add(-24 * time.Hour), // tolerate clock skew between nodes
		NotAfter:     clusterCANotAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		DNSNames:     []string{peerServerName},
		URIs:         []*url.URL{nodeIDURI(nodeID)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, pub, ca.key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("create node certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("parse node certificate: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}

// commonNameFor returns nodeID when it fits a CommonName (64 bytes), else "".
// The URI SAN always carries the full id.
func commonNameFor(nodeID string) string {
	if len(nodeID) > 64 {
		return ""
	}
	return nodeID
}
