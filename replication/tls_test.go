package replication

import (
	"bytes"
	"crypto/x509"
	"strings"
	"testing"
	"time"
)

func TestDeriveClusterCA(t *testing.T) {
	ca1, err := deriveClusterCA("s3cret")
	if err != nil {
		t.Fatal(err)
	}
	ca2, _ := deriveClusterCA("s3cret")
	other, _ := deriveClusterCA("s3cret!")
	if !bytes.Equal(ca1.cert.Raw, ca2.cert.Raw) {
		t.Fatal("the same secret gave two different CA certificates")
	}
	if bytes.Equal(ca1.cert.RawSubjectPublicKeyInfo, other.cert.RawSubjectPublicKeyInfo) {
		t.Fatal("different secrets gave the same CA key")
	}
	if !ca1.cert.IsCA || ca1.cert.SignatureAlgorithm != x509.PureEd25519 {
		t.Fatalf("CA: IsCA %v, algorithm %v", ca1.cert.IsCA, ca1.cert.SignatureAlgorithm)
	}
}

func TestClusterCA_IssueLeaf(t *testing.T) {
	ca, _ := deriveClusterCA("s3cret")
	ids := []string{"node-1", "with space/and slash?x=1#frag", "ünïcode", strings.Repeat("long", 40)}
	for _, id := range ids {
		leaf, err := ca.issueLeaf(id, time.Now())
		if err != nil {
			t.Fatalf("issue %q: %v", id, err)
		}
		parsed, _ := x509.ParseCertificate(leaf.Certificate[0])
		roots := x509.NewCertPool()
		roots.AddCert(ca.cert)
		for _, usage := range []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth} {
			opts := x509.VerifyOptions{Roots: roots, DNSName: peerServerName, KeyUsages: []x509.ExtKeyUsage{usage}}
			if _, err := parsed.Verify(opts); err != nil {
				t.Fatalf("leaf of %q does not verify for usage %v: %v", id, usage, err)
			}
		}
		if got, err := nodeIDFromCert(parsed); err != nil || got != id {
			t.Fatalf("nodeIDFromCert = %q, %v; want %q", got, err, id)
		}
	}
	t.Run("other CA's leaf does not verify", func(t *testing.T) {
		other, _ := deriveClusterCA("other")
		leaf, _ := other.issueLeaf("x", time.Now())
		roots := x509.NewCertPool()
		roots.AddCert(ca.cert)
		if _, err := leaf.Leaf.Verify(x509.VerifyOptions{Roots: roots, DNSName: peerServerName}); err == nil {
			t.Fatal("a leaf of another secret verified")
		}
	})
}

func TestNodeIDFromCert(t *testing.T) {
	if _, err := nodeIDFromCert(&x509.Certificate{}); err == nil {
		t.Fatal("a certificate naming nobody gave a node id")
	}
}

// FuzzNodeIDURI checks that every node id survives the URI SAN encoding.
func FuzzNodeIDURI(f *testing.F) {
	f.Add("node-1")
	f.Add("a/b?c#d%2F")
	f.Fuzz(func(t *testing.T, id string) {
		if id == "" {
			return
		}
		u := nodeIDURI(id)
		if got, ok := nodeIDFromURI(u); !ok || got != id {
			t.Fatalf("round trip of %q = %q, %v", id, got, ok)
		}
	})
}
