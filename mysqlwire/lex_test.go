package mysqlwire

import (
	"net"
	"testing"
)

func TestParseAccountStatement(t *testing.T) {
	st, ok := parseAccountStatement("/* hi */ GRANT SELECT, INSERT ON `wp`.* TO 'wp'@'localhost', bob WITH GRANT OPTION;")
	if !ok || st.err != nil || st.verb != verbGrant || st.db != "wp" || !st.grantOption ||
		st.privs != privSelect|privInsert || len(st.users) != 2 || st.users[0] != (userSpec{name: "wp", host: "localhost"}) ||
		st.users[1].host != "%" {
		t.Fatalf("GRANT = %+v, %v", st, ok)
	}
	st, _ = parseAccountStatement("CREATE USER IF NOT EXISTS 'it''s'@'%' IDENTIFIED WITH caching_sha2_password BY 'p\\'w'")
	if st.err != nil || !st.ifExists || st.users[0].name != "it's" || st.users[0].plugin != PluginSHA2 || st.users[0].password != "p'w" {
		t.Fatalf("CREATE USER = %+v", st)
	}
	for _, bad := range []string{"CREATE USER", "GRANT SELECT ON db.t TO a", "GRANT NAP ON *.* TO a", "DROP USER a b"} {
		if st, ok := parseAccountStatement(bad); !ok || st.err == nil {
			t.Errorf("%q: ok %v err %v, want an error", bad, ok, st.err)
		}
	}
	for _, other := range []string{"SELECT 1", "CREATE TABLE user (a INT)", "SHOW TABLES", "-- only a comment"} {
		if _, ok := parseAccountStatement(other); ok {
			t.Errorf("%q taken for an account statement", other)
		}
	}
}

func TestStatementPrivileges(t *testing.T) {
	for sql, want := range map[string]privilege{
		"INSERT INTO t VALUES (1)":                               privInsert,
		"insert into t values (1) on duplicate key update a = 1": privInsert | privUpdate,
		"INSERT INTO t VALUES ('on duplicate key update')":       privInsert,
		"REPLACE INTO t VALUES (1)":                              privInsert | privDelete,
		"/* x */ UPDATE t SET a = 1":                             privUpdate,
		"DELETE FROM t":                                          privDelete,
	} {
		if got := writePrivilege(sql); got != want {
			t.Errorf("writePrivilege(%q) = %v, want %v", sql, got.names(), want.names())
		}
	}
	for sql, want := range map[string]privilege{
		"CREATE TABLE t (a INT)": privCreate, "CREATE UNIQUE INDEX i ON t (a)": privIndex,
		"DROP TABLE t": privDrop, "ALTER TABLE t ADD INDEX (a)": privAlter, "TRUNCATE t": privDrop,
	} {
		if got := ddlPrivilege(sql); got != want {
			t.Errorf("ddlPrivilege(%q) = %v, want %v", sql, got.names(), want.names())
		}
	}
}

func TestHostMatches(t *testing.T) {
	lo := &net.TCPAddr{IP: net.ParseIP("127.0.0.1")}
	lan := &net.TCPAddr{IP: net.ParseIP("10.1.2.3")}
	for _, c := range []struct {
		pattern string
		addr    net.Addr
		want    bool
	}{{"%", lan, true}, {"localhost", lo, true}, {"localhost", lan, false}, {"10.%", lan, true},
		{"10.1.2._", lan, true}, {"10.1.2.3", lan, true}, {"10.1.2.4", lan, false}, {"192.%", lan, false}} {
		if got := hostMatches(c.pattern, c.addr); got != c.want {
			t.Errorf("hostMatches(%q, %v) = %v", c.pattern, c.addr, got)
		}
	}
}

func TestPatchHandshake(t *testing.T) {
	p := []byte{0, 0, 0, 0, 10}
	p = append(p, "8.0.36\x00"...)
	p = append(p, 1, 0, 0, 0)             // connection id
	p = append(p, 1, 2, 3, 4, 5, 6, 7, 8) // scramble part 1
	p = append(p, 0, 0x0f, 0xa2, 45, 0, 0, 0x0f, 0x80)
	patchHandshake(p)
	if caps := uint32(p[25]) | uint32(p[26])<<8 | uint32(p[30])<<16 | uint32(p[31])<<24; caps&extraCapabilities != extraCapabilities || caps&0x800fa20f != 0x800fa20f {
		t.Fatalf("capabilities %#x", caps)
	}
	if p[28] != 2 {
		t.Fatalf("status %#x, want autocommit", p[28])
	}
}
