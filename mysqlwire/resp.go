package mysqlwire

import (
	"encoding/binary"

	"github.com/go-mysql-org/go-mysql/mysql"
)

// Packet writing. Every packet is built in s.buf after four bytes that
// go-mysql's WritePacket fills with the length and sequence number.

// begin starts a packet.
func (s *session) begin() []byte { return append(s.buf[:0], 0, 0, 0, 0) }

// send writes a packet built from begin. After a failed write the session
// sends nothing more: its loop ends.
func (s *session) send(p []byte) {
	if s.werr == nil {
		s.werr = s.c.WritePacket(p)
	}
	if cap(p) <= 1<<20 {
		s.buf = p[:0] // keep a grown buffer, but not a huge one
	}
}

// writeOK sends an OK packet; more sets SERVER_MORE_RESULTS_EXISTS.
func (s *session) writeOK(affected, insertID uint64, more bool) {
	p := append(s.begin(), mysql.OK_HEADER)
	p = mysql.AppendLengthEncodedInteger(p, affected)
	p = mysql.AppendLengthEncodedInteger(p, insertID)
	p = s.appendStatus(p, more)
	if s.c.Capability()&mysql.CLIENT_SESSION_TRACK != 0 {
		p = append(p, 0) // empty info, no session state changes
	}
	s.send(p)
}

// appendStatus appends the status flags and warning count.
func (s *session) appendStatus(p []byte, more bool) []byte {
	st := s.status()
	if more {
		st |= mysql.SERVER_MORE_RESULTS_EXISTS
	}
	p = binary.LittleEndian.AppendUint16(p, st)
	return binary.LittleEndian.AppendUint16(p, s.warnings)
}

// writeEOF sends an EOF packet.
func (s *session) writeEOF(more bool) {
	p := append(s.begin(), mysql.EOF_HEADER)
	p = binary.LittleEndian.AppendUint16(p, s.warnings)
	st := s.status()
	if more {
		st |= mysql.SERVER_MORE_RESULTS_EXISTS
	}
	s.send(binary.LittleEndian.AppendUint16(p, st))
}

// writeError sends err as an ERR packet, mapped to a MySQL error.
func (s *session) writeError(err error) {
	e := s.mysqlError(err)
	p := append(s.begin(), mysql.ERR_HEADER)
	p = binary.LittleEndian.AppendUint16(p, e.Code)
	p = append(p, '#')
	p = append(p, (e.SQLState + "HY000")[:5]...)
	s.send(append(p, e.Message...))
}

// writeResult sends the outcome of one statement.
func (s *session) writeResult(r *outcome, more, binaryRows bool) {
	if r.rows == nil {
		s.writeOK(r.affected, r.insertID, more)
		return
	}
	cols := resultColumns(r.rows)
	s.writeColumns(cols, true)
	for _, row := range r.rows.Rows {
		if s.werr != nil {
			return
		}
		if binaryRows {
			s.send(appendBinaryRow(s.begin(), cols, row))
		} else {
			s.send(appendTextRow(s.begin(), cols, row))
		}
	}
	s.writeEOF(more)
}

// writeColumns sends a column count (when withCount) and the column
// definitions, then an EOF.
func (s *session) writeColumns(cols []column, withCount bool) {
	if withCount {
		s.send(mysql.AppendLengthEncodedInteger(s.begin(), uint64(len(cols))))
	}
	for i := range cols {
		s.send(appendColumnDef(s.begin(), &cols[i], s.db, nil))
	}
	s.writeEOF(false)
}

// appendColumnDef appends a ColumnDefinition41; def, when not nil, is the
// default value COM_FIELD_LIST adds.
func appendColumnDef(p []byte, c *column, schema string, def []byte) []byte {
	p = appendLenencString(p, "def")
	p = appendLenencString(p, schema)
	p = appendLenencString(p, "") // table
	p = appendLenencString(p, "") // original table
	p = appendLenencString(p, c.name)
	p = appendLenencString(p, c.name)
	p = append(p, 0x0c)
	p = binary.LittleEndian.AppendUint16(p, c.charset)
	p = binary.LittleEndian.AppendUint32(p, c.length)
	p = append(p, c.typ)
	p = binary.LittleEndian.AppendUint16(p, c.flags)
	p = append(p, c.decimals, 0, 0)
	if def != nil {
		p = mysql.AppendLengthEncodedInteger(p, uint64(len(def)))
		p = append(p, def...)
	}
	return p
}

func appendLenencString(p []byte, s string) []byte {
	p = mysql.AppendLengthEncodedInteger(p, uint64(len(s)))
	return append(p, s...)
}

// appendTextRow appends a text-protocol row.
func appendTextRow(p []byte, cols []column, row []any) []byte {
	for i, v := range row {
		if v == nil {
			p = append(p, 0xfb)
			continue
		}
		n := len(p)
		p = appendValueText(p, &cols[i], v)
		p = insertLenenc(p, n)
	}
	return p
}

// appendBinaryRow appends a binary-protocol row: a header, the NULL bitmap
// (offset by two bits) and the non-NULL values.
func appendBinaryRow(p []byte, cols []column, row []any) []byte {
	p = append(p, 0)
	bitmap := len(p)
	for range (len(row) + 7 + 2) / 8 {
		p = append(p, 0)
	}
	for i, v := range row {
		if v == nil {
			p[bitmap+(i+2)/8] |= 1 << ((i + 2) % 8)
			continue
		}
		p = appendValueBinary(p, &cols[i], v)
	}
	return p
}
