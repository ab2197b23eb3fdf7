package mysqlwire

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	crand "crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/binary"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/go-mysql-org/go-mysql/client"
	"github.com/go-mysql-org/go-mysql/mysql"
	gomysql "github.com/go-sql-driver/mysql"
)

func TestServer_ConnectionCap(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.MaxConnections = 2 })
	a := ts.raw(adminUser, adminPass, "main")
	b := ts.raw(adminUser, adminPass, "main")
	_, err := client.Connect(ts.addr, adminUser, adminPass, "main")
	if err == nil || !strings.Contains(err.Error(), "1040") {
		t.Fatalf("third connection: %v, want error 1040", err)
	}
	b.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := client.Connect(ts.addr, adminUser, adminPass, "main")
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a slot never freed: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := a.Ping(); err != nil {
		t.Fatal(err)
	}
}

func TestServer_TLS(t *testing.T) {
	cert := selfSignedCert(t)
	ts := startServer(t, func(c *Config) {
		c.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
		c.RequireTLS = true
		c.Users = []UserConfig{{Name: "sha", Password: "sha-pass", Plugin: PluginSHA2, Grants: map[string]string{"main": "all"}}}
	})
	if err := gomysql.RegisterTLSConfig("warren-test", &tls.Config{InsecureSkipVerify: true}); err != nil {
		t.Fatal(err)
	}
	t.Run("encrypted", func(t *testing.T) {
		db := ts.admin("tls=warren-test")
		if err := db.Ping(); err != nil {
			t.Fatal(err)
		}
		if err := ts.open("sha", "sha-pass", "main", "tls=warren-test").Ping(); err != nil {
			t.Fatalf("caching_sha2_password over TLS: %v", err)
		}
	})
	t.Run("plain text refused when TLS is required", func(t *testing.T) {
		wantErr(t, ts.admin("").Ping(), 3159, "HY000")
	})
}

// selfSignedCert returns a throwaway certificate for 127.0.0.1.
func selfSignedCert(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), crand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "warren"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}}
	der, err := x509.CreateCertificate(crand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func TestServer_ChangeUser(t *testing.T) {
	ts := startServer(t, func(c *Config) {
		c.Users = []UserConfig{{Name: "other", Password: "o-pass", Grants: map[string]string{"main": "read"}}}
	})
	changeUser := func(c *client.Conn, user, pass string) []byte {
		t.Helper()
		// Ask for caching_sha2_password: the server switches to the
		// account's plugin with a fresh scramble, which we answer.
		p := append([]byte{0, 0, 0, 0, mysql.COM_CHANGE_USER}, user...)
		p = append(p, 0, 0)                   // no auth response
		p = append(p, "main"...)              // database
		p = append(p, 0, collationUTF8MB4, 0) // charset
		p = append(append(p, PluginSHA2...), 0)
		c.ResetSequence()
		if err := c.WritePacket(p); err != nil {
			t.Fatal(err)
		}
		sw, err := c.ReadPacket()
		if err != nil || sw[0] != mysql.EOF_HEADER {
			t.Fatalf("auth switch: %v %q", err, sw)
		}
		plugin, salt, _ := strings.Cut(string(sw[1:]), "\x00")
		if plugin != PluginNative {
			t.Fatalf("switched to %q", plugin)
		}
		if err := c.WritePacket(append([]byte{0, 0, 0, 0}, mysql.CalcNativePassword([]byte(salt[:20]), []byte(pass))...)); err != nil {
			t.Fatal(err)
		}
		resp, err := c.ReadPacket()
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	c := ts.raw(adminUser, adminPass, "main")
	if _, err := c.Execute("SET @x = 1"); err != nil {
		t.Fatal(err)
	}
	if resp := changeUser(c, "other", "o-pass"); resp[0] != mysql.OK_HEADER {
		t.Fatalf("change user: %q", resp)
	}
	c.ResetSequence()
	r, err := c.Execute("SELECT CURRENT_USER(), @x IS NULL")
	if err != nil {
		t.Fatal(err)
	}
	if u, _ := r.GetString(0, 0); !strings.HasPrefix(u, "other@") {
		t.Fatalf("CURRENT_USER() = %q", u)
	}
	if fresh, _ := r.GetInt(0, 1); fresh != 1 {
		t.Fatal("session state survived the change of user")
	}
	if _, err := c.Execute("CREATE TABLE nope (a INT)"); err == nil {
		t.Fatal("the new user's rights do not apply")
	}
	c2 := ts.raw(adminUser, adminPass, "main")
	if resp := changeUser(c2, "other", "wrong"); resp[0] != mysql.ERR_HEADER || binary.LittleEndian.Uint16(resp[1:]) != mysql.ER_ACCESS_DENIED_ERROR {
		t.Fatalf("wrong password: %q", resp)
	}
}

func TestServer_Kill(t *testing.T) {
	ts := startServer(t)
	victim := ts.raw(adminUser, adminPass, "main")
	id := connectionID(t, victim)
	killer := ts.raw(adminUser, adminPass, "main")
	if _, err := killer.Execute("KILL " + itoa(int(id))); err != nil {
		t.Fatal(err)
	}
	if err := victim.Ping(); err == nil {
		t.Fatal("killed connection still answers")
	}
	_, err := killer.Execute("KILL 999999")
	if err == nil || !strings.Contains(err.Error(), "1094") {
		t.Fatalf("unknown id: %v", err)
	}
}

func TestServer_KillQuery(t *testing.T) {
	ts := startServer(t)
	victim := ts.raw(adminUser, adminPass, "main")
	id := connectionID(t, victim)
	done := make(chan error, 1)
	go func() {
		_, err := victim.Execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT COUNT(*) FROM c")
		done <- err
	}()
	killer := ts.raw(adminUser, adminPass, "main")
	deadline := time.After(10 * time.Second)
	for {
		if _, err := killer.Execute("KILL QUERY " + itoa(int(id))); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), "1317") {
				t.Fatalf("killed query: %v, want error 1317", err)
			}
			if err := victim.Ping(); err != nil {
				t.Fatalf("connection unusable after KILL QUERY: %v", err)
			}
			return
		case <-deadline:
			t.Fatal("KILL QUERY did not stop the statement")
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// connectionID asks c for its CONNECTION_ID().
func connectionID(t *testing.T, c *client.Conn) int64 {
	t.Helper()
	r, err := c.Execute("SELECT CONNECTION_ID()")
	if err != nil {
		t.Fatal(err)
	}
	id, _ := r.GetInt(0, 0)
	return id
}
