package mysqlwire

import (
	"bytes"
	crand "crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"sync"

	"github.com/go-mysql-org/go-mysql/mysql"
	"github.com/go-mysql-org/go-mysql/server"
)

// caching_sha2_password packets after the client's scramble.
const (
	sha2MoreData    = 0x01 // AuthMoreData header
	sha2FastAuthOK  = 0x03 // the scramble matched the cached digest
	sha2FullAuth    = 0x04 // send the password: clear over TLS, else RSA-encrypted
	sha2KeyRequest  = 0x02 // the client asks for the server's public key
	rsaKeyBits      = 2048
	sha2DigestLimit = 10000 // cached digests kept at most
)

// sha2State is caching_sha2_password's server side: the digests of
// passwords proven by a full authentication (fast authentication checks
// scrambles against them), and the RSA key clients without TLS encrypt the
// password with.
type sha2State struct {
	mu      sync.Mutex
	digests map[string][]byte // account name and stored hash → SHA256(SHA256(pw))

	keyOnce sync.Once
	key     *rsa.PrivateKey
	pubPEM  []byte
	keyErr  error
}

// newSHA2State returns the state, using the TLS certificate's RSA key when
// there is one (a key is otherwise made on first use).
func newSHA2State(tc *tls.Config) *sha2State {
	st := &sha2State{digests: make(map[string][]byte)}
	if tc != nil && len(tc.Certificates) > 0 {
		if k, ok := tc.Certificates[0].PrivateKey.(*rsa.PrivateKey); ok {
			st.keyOnce.Do(func() { st.setKey(k) })
		}
	}
	return st
}

// authenticate finishes caching_sha2_password for a after its scramble.
func (st *sha2State) authenticate(a *account, scramble, salt []byte, io authIO) error {
	if d := st.digest(a); d != nil && checkSHA2Scramble(d, salt, scramble) {
		return io.WritePacket([]byte{0, 0, 0, 0, sha2MoreData, sha2FastAuthOK})
	}
	if err := io.WritePacket([]byte{0, 0, 0, 0, sha2MoreData, sha2FullAuth}); err != nil {
		return err
	}
	pw, err := st.readPassword(io, salt)
	if err != nil {
		return err
	}
	if !a.checkPlain(pw) {
		return server.ErrAccessDenied
	}
	st.remember(a, pw)
	return nil
}

// readPassword reads the clear-text password of a full authentication:
// in clear over TLS, RSA-encrypted otherwise. A loopback connection is as
// private as the Unix socket MySQL trusts, so there a clear password is
// taken too (MariaDB's client, built with GnuTLS, cannot encrypt and sends
// it in clear when it asked for TLS the server did not offer).
func (st *sha2State) readPassword(io authIO, salt []byte) (string, error) {
	data, err := io.ReadPacket()
	if err != nil {
		return "", err
	}
	if io.isTLS() {
		return clearPassword(data), nil
	}
	if len(data) == 1 && data[0] == sha2KeyRequest {
		if err := st.loadKey(); err != nil {
			return "", err
		}
		if err := io.WritePacket(append([]byte{0, 0, 0, 0, sha2MoreData}, st.pubPEM...)); err != nil {
			return "", err
		}
		if data, err = io.ReadPacket(); err != nil {
			return "", err
		}
		return st.decrypt(data, salt)
	}
	if st.hasKey() && len(data) == st.key.Size() {
		if pw, err := st.decrypt(data, salt); err == nil || !io.isLoopback() {
			return pw, err
		}
	}
	if io.isLoopback() {
		return clearPassword(data), nil
	}
	return "", server.ErrAccessDenied
}

// decrypt recovers a password the client encrypted with the public key.
func (st *sha2State) decrypt(data, salt []byte) (string, error) {
	if err := st.loadKey(); err != nil {
		return "", err
	}
	plain, err := rsa.DecryptOAEP(sha1.New(), crand.Reader, st.key, data, nil)
	if err != nil {
		return "", server.ErrAccessDenied
	}
	return clearPassword(mysql.Xor(plain, salt)), nil
}

// clearPassword strips the NUL that ends a password on the wire.
func clearPassword(b []byte) string { return string(bytes.TrimSuffix(b, []byte{0})) }

// hasKey reports whether the RSA key exists (a client can only have
// encrypted with it if it does).
func (st *sha2State) hasKey() bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.key != nil
}

// digestKey identifies a password of an account: a new password is a new key.
func digestKey(a *account) string { return a.Name + "\x00" + a.SHA2 }

func (st *sha2State) digest(a *account) []byte {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.digests[digestKey(a)]
}

func (st *sha2State) remember(a *account, pw string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(st.digests) >= sha2DigestLimit {
		clear(st.digests)
	}
	st.digests[digestKey(a)] = sha2Digest(pw)
}

// loadKey makes the RSA key on first use.
func (st *sha2State) loadKey() error {
	st.keyOnce.Do(func() {
		k, err := rsa.GenerateKey(crand.Reader, rsaKeyBits)
		if err != nil {
			st.keyErr = fmt.Errorf("generate rsa key: %w", err)
			return
		}
		st.setKey(k)
	})
	return st.keyErr
}

func (st *sha2State) setKey(k *rsa.PrivateKey) {
	st.mu.Lock()
	defer st.mu.Unlock()
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		st.keyErr = fmt.Errorf("encode rsa public key: %w", err)
		return
	}
	st.key = k
	st.pubPEM = pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}
