package mysqlwire

import (
	"bytes"
	"encoding/binary"

	"github.com/go-mysql-org/go-mysql/mysql"
)

// extraCapabilities are flags Warren serves that go-mysql does not let a
// server announce (its SetCapability refuses them), and that clients only
// use when announced: go-sql-driver drops multiStatements and
// clientFoundRows otherwise.
const extraCapabilities = mysql.CLIENT_MULTI_STATEMENTS | mysql.CLIENT_FOUND_ROWS

// patchHandshake adds extraCapabilities and the autocommit status to the
// initial handshake packet p (header included) as go-mysql wrote it. It
// leaves anything that is not a protocol-10 handshake alone.
func patchHandshake(p []byte) {
	const hdr = 4
	if len(p) < hdr+1 || p[hdr] != 10 {
		return
	}
	end := bytes.IndexByte(p[hdr+1:], 0) // server version, NUL-terminated
	if end < 0 {
		return
	}
	pos := hdr + 1 + end + 1 + 4 + 8 + 1 // connection id, scramble part 1, filler
	if len(p) < pos+2+1+2+2 {
		return
	}
	capLow := pos
	status := pos + 2 + 1
	capHigh := status + 2
	caps := uint32(binary.LittleEndian.Uint16(p[capLow:])) | uint32(binary.LittleEndian.Uint16(p[capHigh:]))<<16
	caps |= extraCapabilities
	binary.LittleEndian.PutUint16(p[capLow:], uint16(caps))
	binary.LittleEndian.PutUint16(p[capHigh:], uint16(caps>>16))
	binary.LittleEndian.PutUint16(p[status:], binary.LittleEndian.Uint16(p[status:])|mysql.SERVER_STATUS_AUTOCOMMIT)
}
