package replication

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// countingHandler registers a handler on tr that counts its runs.
func countingHandler(tr *Transport) *atomic.Int64 {
	var runs atomic.Int64
	tr.Handle(testKind, func(context.Context, string, []byte) ([]byte, error) {
		runs.Add(1)
		return []byte("ok"), nil
	})
	return &runs
}

func TestTransport_WrongSecret(t *testing.T) {
	good := newTestTransport(t, "good")
	goodRuns := countingHandler(good)
	intruder := newTestTransport(t, "intruder", withSecret("not the cluster secret"))
	intruderRuns := countingHandler(intruder)

	t.Run("as client", func(t *testing.T) {
		for range 3 { // a retry must not sneak through either
			if _, err := intruder.Call(testCallCtx(t), good.Addr(), testKind, nil); err == nil {
				t.Fatal("call with the wrong secret succeeded")
			}
		}
		if goodRuns.Load() != 0 || inboundCount(good) != 0 {
			t.Fatalf("good ran %d handlers, holds %d connections; want 0, 0", goodRuns.Load(), inboundCount(good))
		}
	})
	t.Run("as server", func(t *testing.T) {
		if _, err := good.Call(testCallCtx(t), intruder.Addr(), testKind, nil); err == nil {
			t.Fatal("call to a server with the wrong secret succeeded")
		}
		if intruderRuns.Load() != 0 {
			t.Fatalf("intruder ran %d handlers; want 0", intruderRuns.Load())
		}
	})
	t.Run("the right secret still works", func(t *testing.T) {
		peer := newTestTransport(t, "peer")
		if resp, err := peer.Call(testCallCtx(t), good.Addr(), testKind, nil); err != nil || string(resp) != "ok" {
			t.Fatalf("Call = %q, %v", resp, err)
		}
	})
}

// testPKI is an operator CA writing PEM files for tests.
type testPKI struct {
	dir  string
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

func newTestPKI(t *testing.T) *testPKI {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "operator ca"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	p := &testPKI{dir: t.TempDir(), cert: cert, key: key}
	p.write(t, "ca.pem", "CERTIFICATE", der)
	return p
}

func (p *testPKI) write(t *testing.T, name, typ string, der []byte) string {
	t.Helper()
	path := filepath.Join(p.dir, name)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// issue writes a certificate with CommonName cn and returns a config option
// using it.
func (p *testPKI) issue(t *testing.T, cn string, dnsNames ...string) func(*TransportConfig) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		DNSNames:    dnsNames,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.cert, &key.PublicKey, p.key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalPKCS8PrivateKey(key)
	certFile := p.write(t, cn+".pem", "CERTIFICATE", der)
	keyFile := p.write(t, cn+"-key.pem", "PRIVATE KEY", keyDER)
	caFile := filepath.Join(p.dir, "ca.pem")
	return func(c *TransportConfig) {
		c.Secret, c.CAFile, c.CertFile, c.KeyFile = "", caFile, certFile, keyFile
	}
}

func TestTransport_OperatorCA(t *testing.T) {
	pki := newTestPKI(t)
	a := newTestTransport(t, "a", pki.issue(t, "a", peerServerName))
	b := newTestTransport(t, "b", pki.issue(t, "b", peerServerName))
	b.Handle(testKind, func(_ context.Context, from string, _ []byte) ([]byte, error) { return []byte(from), nil })

	t.Run("peers of one CA talk and see node ids", func(t *testing.T) {
		if resp, err := a.Call(testCallCtx(t), b.Addr(), testKind, nil); err != nil || string(resp) != "a" {
			t.Fatalf("Call = %q, %v; want a", resp, err)
		}
	})
	t.Run("another CA is rejected", func(t *testing.T) {
		other := newTestPKI(t)
		c := newTestTransport(t, "c", other.issue(t, "c", peerServerName))
		if _, err := c.Call(testCallCtx(t), b.Addr(), testKind, nil); err == nil {
			t.Fatal("call from another CA succeeded")
		}
	})
	t.Run("secret peers are rejected", func(t *testing.T) {
		d := newTestTransport(t, "d")
		if _, err := d.Call(testCallCtx(t), b.Addr(), testKind, nil); err == nil {
			t.Fatal("call from a secret-derived certificate succeeded")
		}
	})
	t.Run("bad certificates fail at start", func(t *testing.T) {
		for name, opt := range map[string]func(*TransportConfig){
			"names another node": pki.issue(t, "someone-else", peerServerName),
			"lacks warren.peer":  pki.issue(t, "e"),
		} {
			cfg := LocalTransportConfig()
			cfg.NodeID = "e"
			opt(&cfg)
			if tr, err := NewTransport(cfg); err == nil {
				_ = tr.Close()
				t.Errorf("%s: NewTransport succeeded", name)
			}
		}
	})
}

func TestTransportConfig_Validate(t *testing.T) {
	for name, mutate := range map[string]func(*TransportConfig){
		"no node id":        func(c *TransportConfig) { c.NodeID = "" },
		"no secret":         func(c *TransportConfig) { c.Secret = "" },
		"partial CA files":  func(c *TransportConfig) { c.CAFile = "ca.pem" },
		"zero max frame":    func(c *TransportConfig) { c.MaxFrame = 0 },
		"zero max streams":  func(c *TransportConfig) { c.MaxStreams = 0 },
		"zero idle timeout": func(c *TransportConfig) { c.IdleTimeout = 0 },
	} {
		cfg := LocalTransportConfig()
		cfg.NodeID, cfg.Secret = "n", "s"
		if err := cfg.Validate(); err != nil {
			t.Fatalf("valid config: %v", err)
		}
		mutate(&cfg)
		if err := cfg.Validate(); err == nil {
			t.Errorf("%s: Validate accepted it", name)
		}
	}
}
