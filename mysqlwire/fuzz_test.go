package mysqlwire

import (
	"encoding/binary"
	"io"
	"net"
	"testing"
	"time"

	"github.com/go-mysql-org/go-mysql/client"
	"github.com/go-mysql-org/go-mysql/mysql"
)

// FuzzCommand sends arbitrary bytes after a successful handshake: framed as
// one command packet when the first byte is even, raw otherwise. The server
// must answer or hang up, never panic, and keep serving others.
func FuzzCommand(f *testing.F) {
	for _, seed := range [][]byte{
		append([]byte{0, mysql.COM_QUERY}, "SELECT 1"...),
		append([]byte{0, mysql.COM_QUERY}, "CREATE TABLE z (a INT); INSERT INTO z VALUES (1)"...),
		append([]byte{0, mysql.COM_STMT_PREPARE}, "SELECT ?, ?"...),
		{0, mysql.COM_STMT_EXECUTE, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 8, 0, 1, 2},
		{0, mysql.COM_STMT_SEND_LONG_DATA, 1, 0, 0, 0, 0, 0, 'x'},
		{0, mysql.COM_STMT_RESET, 9, 0, 0, 0},
		append([]byte{0, mysql.COM_FIELD_LIST}, "t\x00%"...),
		append([]byte{0, mysql.COM_CHANGE_USER}, "admin\x00\x14abc"...),
		{0, mysql.COM_SET_OPTION, 0, 0},
		{0, mysql.COM_PROCESS_KILL, 1},
		{1, 0xff, 0xff, 0xff, 0, 1},
		{1, 5, 0, 0, 7, 3, 'S'},
	} {
		f.Add(seed)
	}
	ts := startServer(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) == 0 {
			return
		}
		c, err := client.Connect(ts.addr, adminUser, adminPass, "main")
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		out := in[1:]
		if in[0]%2 == 0 {
			out = append(binary.LittleEndian.AppendUint32(nil, uint32(len(out))&0xffffff)[:3], append([]byte{0}, out...)...)
		}
		raw := c.Conn.Conn
		_ = raw.SetDeadline(time.Now().Add(2 * time.Second))
		if _, err := raw.Write(out); err != nil {
			return
		}
		if tcp, ok := raw.(*net.TCPConn); ok {
			_ = tcp.CloseWrite()
		}
		_, _ = io.Copy(io.Discard, raw)
		if n := ts.srv.panics.Load(); n != 0 {
			t.Fatalf("%d panics serving %x", n, in)
		}
		probe, err := client.Connect(ts.addr, adminUser, adminPass, "main")
		if err != nil {
			t.Fatalf("server stopped serving after %x: %v", in, err)
		}
		probe.Close()
	})
}

// FuzzBind decodes arbitrary COM_STMT_EXECUTE bodies.
func FuzzBind(f *testing.F) {
	f.Add(uint8(2), []byte{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 8, 0, 253, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 'h', 'i'})
	f.Add(uint8(1), []byte{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 12, 0, 11, 1, 2, 3})
	f.Add(uint8(3), []byte{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, params uint8, body []byte) {
		st := &prepared{params: int(params % 40)}
		if len(body) > 3 && body[3]&1 == 1 {
			st.long = map[int][]byte{0: []byte("long")}
		}
		args, err := st.bind(body)
		if err == nil && st.params > 0 && len(args) != st.params {
			t.Fatalf("%d args for %d params", len(args), st.params)
		}
		_, _ = st.bind(body) // again, with the types it may have kept
	})
}

// FuzzParseChangeUser reads arbitrary COM_CHANGE_USER bodies.
func FuzzParseChangeUser(f *testing.F) {
	f.Add([]byte("root\x00\x00main\x00\x2d\x00mysql_native_password\x00"))
	f.Add([]byte("u\x00\x05abc"))
	f.Fuzz(func(t *testing.T, body []byte) { parseChangeUser(body) })
}

// FuzzAccountStatement parses arbitrary text as an account statement.
func FuzzAccountStatement(f *testing.F) {
	for _, s := range []string{
		"CREATE USER 'a'@'%' IDENTIFIED BY 'p'", "GRANT ALL ON db.* TO a WITH GRANT OPTION",
		"REVOKE SELECT, INSERT ON *.* FROM 'a'@localhost", "SET PASSWORD FOR a = PASSWORD('x')",
		"SHOW GRANTS FOR CURRENT_USER()", "DROP USER IF EXISTS a, b", "GRANT SELECT (c) ON t TO a",
		"CREATE USER 'unterminated",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		st, ok := parseAccountStatement(sql)
		if ok && st.err == nil && st.verb != verbShowGrants && len(st.users) == 0 {
			t.Fatalf("%q parsed without users", sql)
		}
	})
}
