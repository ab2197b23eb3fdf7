package mysql

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"
)

// testCA is a certificate authority made for one test, and a server
// certificate for 127.0.0.1 it signed, as PEM files.
type testCA struct {
	pool                      *x509.CertPool
	caFile, certFile, keyFile string
}

func newTestCA(t *testing.T) testCA {
	t.Helper()
	dir := t.TempDir()
	caKey := newKey(t)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "warren test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	srvKey := newKey(t)
	srvTmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		KeyUsage: x509.KeyUsageDigitalSignature}
	srvDER, err := x509.CreateCertificate(rand.Reader, srvTmpl, caCert, &srvKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(srvKey)
	if err != nil {
		t.Fatal(err)
	}
	ca := testCA{pool: x509.NewCertPool(), caFile: filepath.Join(dir, "ca.pem"),
		certFile: filepath.Join(dir, "server.pem"), keyFile: filepath.Join(dir, "server-key.pem")}
	ca.pool.AddCert(caCert)
	writePEM(t, ca.caFile, "CERTIFICATE", caDER)
	writePEM(t, ca.certFile, "CERTIFICATE", srvDER)
	writePEM(t, ca.keyFile, "PRIVATE KEY", keyDER)
	return ca
}

func newKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func writePEM(t *testing.T, path, typ string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestTLS runs a real node with mysql_tls_cert, mysql_tls_key and
// mysql_require_tls: clients that verify its certificate against the CA get
// in over TLS, plaintext logins are refused with MySQL's error 3159.
func TestTLS(t *testing.T) {
	ca := newTestCA(t)
	n := startNode(t, "--mysql-tls-cert", ca.certFile, "--mysql-tls-key", ca.keyFile, "--mysql-require-tls")
	if err := gomysql.RegisterTLSConfig("warren-e2e-ca", &tls.Config{RootCAs: ca.pool, MinVersion: tls.VersionTLS12}); err != nil {
		t.Fatal(err)
	}

	t.Run("go-sql-driver verifies the certificate", func(t *testing.T) {
		db := n.open(t, adminUser, adminPass, "main", "tls=warren-e2e-ca")
		var got string
		if err := db.QueryRow("SELECT 'over tls'").Scan(&got); err != nil || got != "over tls" {
			t.Fatalf("query over TLS: %q, %v", got, err)
		}
	})
	t.Run("a client that does not trust the CA is refused", func(t *testing.T) {
		err := n.open(t, adminUser, adminPass, "main", "tls=true").Ping()
		if err == nil || !strings.Contains(err.Error(), "certificate") {
			t.Fatalf("ping with the system roots: %v, want a certificate error", err)
		}
	})
	t.Run("plaintext login refused", func(t *testing.T) {
		wantMySQLError(t, n.open(t, adminUser, adminPass, "main", "").Ping(), 3159)
	})
	t.Run("mysql CLI with --ssl", func(t *testing.T) {
		out, errOut, ok := n.mysqlCLI(t, adminUser, adminPass, "main", "SELECT 'cli over tls';\n",
			"--ssl", "--ssl-ca="+ca.caFile, "--ssl-verify-server-cert")
		if !ok || !strings.Contains(out, "cli over tls") {
			t.Fatalf("mysql --ssl: ok %v, stdout %q, stderr %q", ok, out, errOut)
		}
		_, errOut, ok = n.mysqlCLI(t, adminUser, adminPass, "main", "SELECT 1;\n", "--skip-ssl")
		if ok || !strings.Contains(errOut, "3159") {
			t.Fatalf("mysql --skip-ssl: ok %v, stderr %q, want ERROR 3159", ok, errOut)
		}
	})
}

// TestMaxConnections fills mysql_max_connections and checks that one more
// client is refused with ER_CON_COUNT_ERROR (1040), then gets in once a
// connection closes.
func TestMaxConnections(t *testing.T) {
	n := startNode(t, "--mysql-max-connections", "2")
	db := n.open(t, adminUser, adminPass, "main", "")
	db.SetMaxIdleConns(0) // a Conn's Close then closes the connection
	var held []interface{ Close() error }
	for range 2 {
		c, err := db.Conn(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if err := c.PingContext(t.Context()); err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	extra := n.open(t, adminUser, adminPass, "main", "")
	wantMySQLError(t, extra.Ping(), 1040)
	held[0].Close()
	deadline := time.Now().Add(5 * time.Second)
	for extra.Ping() != nil {
		if time.Now().After(deadline) {
			t.Fatal("a connection slot never freed after a client closed")
		}
		time.Sleep(20 * time.Millisecond)
	}
	held[1].Close()
}
