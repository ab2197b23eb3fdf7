package replication

import (
	"crypto/x509"
	"errors"
	"net/url"
)

// errNoNodeID is returned for a certificate that names no node.
var errNoNodeID = errors.New("certificate names no node id")

// nodeIDURI is the URI SAN carrying nodeID: warren://node/<escaped id>.
func nodeIDURI(nodeID string) *url.URL {
	return &url.URL{Scheme: nodeIDURIScheme, Host: nodeIDURIHost, Path: "/" + nodeID}
}

// nodeIDFromURI returns the node id of a warren://node/<id> URI.
func nodeIDFromURI(u *url.URL) (string, bool) {
	if u == nil || u.Scheme != nodeIDURIScheme || u.Host != nodeIDURIHost || len(u.Path) < 2 || u.Path[0] != '/' {
		return "", false
	}
	return u.Path[1:], true
}

// nodeIDFromCert returns the node a certificate names: its warren://node URI
// SAN, or else (for operator certificates) its CommonName.
func nodeIDFromCert(cert *x509.Certificate) (string, error) {
	if cert == nil {
		return "", errNoNodeID
	}
	for _, u := range cert.URIs {
		if id, ok := nodeIDFromURI(u); ok {
			return id, nil
		}
	}
	if cert.Subject.CommonName != "" {
		return cert.Subject.CommonName, nil
	}
	return "", errNoNodeID
}
