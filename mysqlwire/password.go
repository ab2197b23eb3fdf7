package mysqlwire

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strings"

	"github.com/go-mysql-org/go-mysql/mysql"
	"github.com/pingcap/tidb/pkg/parser/auth"
)

// passwordHashes are the stored forms of one password, one per plugin, in
// MySQL's own formats: "*" + hex(SHA1(SHA1(pw))) as mysql.user keeps
// mysql_native_password, and "$A$005$" + salt + SHA-256-crypt(5000 rounds)
// as it keeps caching_sha2_password. Both empty: the empty password.
type passwordHashes struct {
	Native string `json:"native_hash,omitempty"`
	SHA2   string `json:"sha2_hash,omitempty"`
}

// hashPassword returns the stored forms of pw.
func hashPassword(pw string) passwordHashes {
	if pw == "" {
		return passwordHashes{}
	}
	return passwordHashes{
		Native: mysql.EncodePasswordHex(mysql.NativePasswordHash([]byte(pw))),
		SHA2:   auth.NewHashPassword(pw, mysql.AUTH_CACHING_SHA2_PASSWORD),
	}
}

// empty reports whether the password is the empty one.
func (h passwordHashes) empty() bool { return h.Native == "" && h.SHA2 == "" }

// checkNative checks a mysql_native_password scramble against the stored hash.
func (h passwordHashes) checkNative(scramble, salt []byte) bool {
	stored, err := hex.DecodeString(strings.TrimPrefix(h.Native, "*"))
	if err != nil || len(stored) != sha1.Size {
		return false
	}
	return mysql.CompareNativePassword(scramble, stored, salt)
}

// checkPlain checks a clear-text password (caching_sha2_password full
// authentication) against the stored SHA-256-crypt hash.
func (h passwordHashes) checkPlain(pw string) bool {
	if h.SHA2 == "" {
		return false
	}
	ok, err := auth.CheckHashingPassword([]byte(h.SHA2), pw, mysql.AUTH_CACHING_SHA2_PASSWORD)
	return ok && err == nil
}

// sha2Digest is SHA256(SHA256(pw)), what caching_sha2_password's fast
// authentication checks a scramble against. It is kept in memory only,
// after a full authentication proved the password.
func sha2Digest(pw string) []byte {
	a := sha256.Sum256([]byte(pw))
	b := sha256.Sum256(a[:])
	return b[:]
}

// checkSHA2Scramble checks a caching_sha2_password scramble,
// XOR(SHA256(pw), SHA256(SHA256(SHA256(pw)), salt)), against digest.
func checkSHA2Scramble(digest, salt, scramble []byte) bool {
	if len(scramble) != sha256.Size {
		return false
	}
	h := sha256.New()
	h.Write(digest)
	h.Write(salt)
	stage1 := h.Sum(nil)
	for i := range stage1 {
		stage1[i] ^= scramble[i]
	}
	got := sha256.Sum256(stage1)
	return subtle.ConstantTimeCompare(got[:], digest) == 1
}
