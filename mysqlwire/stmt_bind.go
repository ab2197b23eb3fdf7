package mysqlwire

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/go-mysql-org/go-mysql/mysql"
	"github.com/warren-db/warren/engine"
)

// bind decodes the parameter values of a COM_STMT_EXECUTE body: statement
// id, flags, iteration count, NULL bitmap, the new-params-bound flag, the
// types (when bound) and the values. A client may leave the types out when
// they did not change: the ones it sent last apply.
func (st *prepared) bind(body []byte) ([]engine.Value, error) {
	if len(body) < 9 {
		return nil, errMalformed
	}
	if st.params == 0 {
		return nil, nil
	}
	if st.longErr {
		return nil, &Error{Code: mysql.ER_NET_PACKET_TOO_LARGE, SQLState: "08S01",
			Message: "Parameter of prepared statement which is set through mysql_send_long_data() is longer than 'max_allowed_packet' bytes"}
	}
	n := st.params
	rest := body[9:]
	if len(rest) < (n+7)/8+1 {
		return nil, errMalformed
	}
	nulls, bound := rest[:(n+7)/8], rest[(n+7)/8]
	rest = rest[(n+7)/8+1:]
	if bound == 1 {
		if len(rest) < 2*n {
			return nil, errMalformed
		}
		st.types = append(st.types[:0], rest[:2*n]...)
		rest = rest[2*n:]
	} else if len(st.types) != 2*n {
		return nil, &Error{Code: mysql.ER_WRONG_ARGUMENTS, SQLState: "HY000",
			Message: "Incorrect arguments to mysqld_stmt_execute: parameter types were never sent"}
	}
	return st.decodeValues(nulls, rest)
}

// decodeValues decodes the values after the types.
func (st *prepared) decodeValues(nulls, data []byte) ([]engine.Value, error) {
	args := make([]engine.Value, st.params)
	for i := range args {
		typ, unsigned := st.types[2*i], st.types[2*i+1]&0x80 != 0
		if nulls[i/8]&(1<<(i%8)) != 0 || typ == mysql.MYSQL_TYPE_NULL {
			continue
		}
		if long, ok := st.long[i]; ok {
			args[i] = bytesValue(typ, long)
			continue
		}
		v, used, err := decodeParam(typ, unsigned, data)
		if err != nil {
			return nil, err
		}
		args[i], data = v, data[used:]
	}
	return args, nil
}

// decodeParam decodes one binary-protocol value of type typ at the start of
// b, returning it and the bytes it used.
func decodeParam(typ byte, unsigned bool, b []byte) (engine.Value, int, error) {
	need := map[byte]int{mysql.MYSQL_TYPE_TINY: 1, mysql.MYSQL_TYPE_SHORT: 2, mysql.MYSQL_TYPE_YEAR: 2,
		mysql.MYSQL_TYPE_INT24: 4, mysql.MYSQL_TYPE_LONG: 4, mysql.MYSQL_TYPE_LONGLONG: 8,
		mysql.MYSQL_TYPE_FLOAT: 4, mysql.MYSQL_TYPE_DOUBLE: 8}[typ]
	if need > 0 && len(b) < need {
		return nil, 0, errMalformed
	}
	switch typ {
	case mysql.MYSQL_TYPE_TINY:
		return intParam(uint64(b[0]), 8, unsigned), 1, nil
	case mysql.MYSQL_TYPE_SHORT, mysql.MYSQL_TYPE_YEAR:
		return intParam(uint64(binary.LittleEndian.Uint16(b)), 16, unsigned), 2, nil
	case mysql.MYSQL_TYPE_INT24, mysql.MYSQL_TYPE_LONG:
		return intParam(uint64(binary.LittleEndian.Uint32(b)), 32, unsigned), 4, nil
	case mysql.MYSQL_TYPE_LONGLONG:
		return intParam(binary.LittleEndian.Uint64(b), 64, unsigned), 8, nil
	case mysql.MYSQL_TYPE_FLOAT:
		return float64(math.Float32frombits(binary.LittleEndian.Uint32(b))), 4, nil
	case mysql.MYSQL_TYPE_DOUBLE:
		return math.Float64frombits(binary.LittleEndian.Uint64(b)), 8, nil
	case mysql.MYSQL_TYPE_DATE, mysql.MYSQL_TYPE_DATETIME, mysql.MYSQL_TYPE_TIMESTAMP, mysql.MYSQL_TYPE_TIME:
		return decodeTemporalParam(typ, b)
	}
	v, used, ok := lenencBytes(b)
	if !ok {
		return nil, 0, errMalformed
	}
	if !knownParamType(typ) {
		return nil, 0, &Error{Code: mysql.ER_WRONG_ARGUMENTS, SQLState: "HY000",
			Message: fmt.Sprintf("Incorrect arguments to mysqld_stmt_execute: parameter type %d", typ)}
	}
	return bytesValue(typ, v), used, nil
}

// intParam sign-extends (or not) an integer of the given width. Unsigned
// values above the int64 range travel as decimal text.
func intParam(v uint64, bits uint, unsigned bool) engine.Value {
	if unsigned {
		if v > math.MaxInt64 {
			return strconv.FormatUint(v, 10)
		}
		return int64(v)
	}
	shift := 64 - bits
	return int64(v<<shift) >> shift
}

// knownParamType reports the string-like types sent length-encoded.
func knownParamType(typ byte) bool {
	switch typ {
	case mysql.MYSQL_TYPE_DECIMAL, mysql.MYSQL_TYPE_NEWDECIMAL, mysql.MYSQL_TYPE_VARCHAR, mysql.MYSQL_TYPE_BIT,
		mysql.MYSQL_TYPE_ENUM, mysql.MYSQL_TYPE_SET, mysql.MYSQL_TYPE_TINY_BLOB, mysql.MYSQL_TYPE_MEDIUM_BLOB,
		mysql.MYSQL_TYPE_LONG_BLOB, mysql.MYSQL_TYPE_BLOB, mysql.MYSQL_TYPE_VAR_STRING, mysql.MYSQL_TYPE_STRING,
		mysql.MYSQL_TYPE_GEOMETRY, mysql.MYSQL_TYPE_JSON, mysql.MYSQL_TYPE_NEWDATE:
		return true
	}
	return false
}

// bytesValue is a string-like parameter as the engine takes it: BLOB types
// and invalid UTF-8 as bytes, the rest as text (SQLite compares text with
// text: a TEXT column never equals a blob).
func bytesValue(typ byte, v []byte) engine.Value {
	switch typ {
	case mysql.MYSQL_TYPE_TINY_BLOB, mysql.MYSQL_TYPE_MEDIUM_BLOB, mysql.MYSQL_TYPE_LONG_BLOB,
		mysql.MYSQL_TYPE_BLOB, mysql.MYSQL_TYPE_GEOMETRY, mysql.MYSQL_TYPE_BIT:
		return append([]byte{}, v...)
	}
	if !utf8.Valid(v) {
		return append([]byte{}, v...)
	}
	return string(v)
}

// decodeTemporalParam decodes a binary DATE, DATETIME, TIMESTAMP or TIME
// into the text Warren stores.
func decodeTemporalParam(typ byte, b []byte) (engine.Value, int, error) {
	if len(b) < 1 || len(b) < 1+int(b[0]) {
		return nil, 0, errMalformed
	}
	n, d := int(b[0]), b[1:1+int(b[0])]
	var t temporal
	if typ == mysql.MYSQL_TYPE_TIME {
		switch n {
		case 0:
		case 8, 12:
			days := binary.LittleEndian.Uint32(d[1:5])
			if days > 34 {
				return nil, 0, errMalformed
			}
			t.neg, t.hour, t.minute, t.second = d[0] == 1, int(days)*24+int(d[5]), int(d[6]), int(d[7])
			if n == 12 {
				t.micro = int(binary.LittleEndian.Uint32(d[8:12]) % 1000000)
			}
		default:
			return nil, 0, errMalformed
		}
		return string(appendTemporalText(nil, t, kindTime, 0)), 1 + n, nil
	}
	switch n {
	case 0, 4, 7, 11:
	default:
		return nil, 0, errMalformed
	}
	if n >= 4 {
		t.year, t.month, t.day = int(binary.LittleEndian.Uint16(d)), int(d[2]), int(d[3])
	}
	if n >= 7 {
		t.hour, t.minute, t.second = int(d[4]), int(d[5]), int(d[6])
	}
	if n == 11 {
		t.micro = int(binary.LittleEndian.Uint32(d[7:11]) % 1000000)
	}
	kind := kindDateTime
	if typ == mysql.MYSQL_TYPE_DATE {
		kind = kindDate
	}
	return string(appendTemporalText(nil, t, kind, 0)), 1 + n, nil
}

// lenencBytes reads a length-encoded string at the start of b.
func lenencBytes(b []byte) (v []byte, used int, ok bool) {
	if len(b) == 0 {
		return nil, 0, false
	}
	var size uint64
	hdr := 1
	switch b[0] {
	case 0xfb:
		return nil, 1, true
	case 0xfc:
		hdr = 3
	case 0xfd:
		hdr = 4
	case 0xfe:
		hdr = 9
	case 0xff:
		return nil, 0, false
	default:
		size = uint64(b[0])
	}
	if len(b) < hdr {
		return nil, 0, false
	}
	for i := hdr - 1; i >= 1; i-- {
		size = size<<8 | uint64(b[i])
	}
	if size > uint64(len(b)-hdr) {
		return nil, 0, false
	}
	return b[hdr : hdr+int(size)], hdr + int(size), true
}
