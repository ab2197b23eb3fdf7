package mysqlwire

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/go-mysql-org/go-mysql/mysql"
)

func TestServer_PreparedStatements(t *testing.T) {
	ts := startServer(t)
	db := ts.admin("parseTime=true")
	mustExec(t, db, "CREATE TABLE p (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50), score DOUBLE, born DATETIME, raw BLOB)")
	ins, err := db.Prepare("INSERT INTO p (name, score, born, raw) VALUES (?, ?, ?, ?)")
	if err != nil {
		t.Fatal(err)
	}
	defer ins.Close()
	born := time.Date(1990, 5, 17, 8, 30, 0, 0, time.UTC)
	for i, name := range []string{"ann", "bob", "cy"} {
		res, err := ins.Exec(name, float64(i)+0.5, born.AddDate(i, 0, 0), []byte{byte(i), 0xfe})
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			t.Fatalf("rows affected = %d", n)
		}
	}
	sel, err := db.Prepare("SELECT name, score, born, raw FROM p WHERE score > ? ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	defer sel.Close()
	rows, err := sel.Query(1.0)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		var score float64
		var b time.Time
		var raw []byte
		if err := rows.Scan(&name, &score, &b, &raw); err != nil {
			t.Fatal(err)
		}
		if b.Year() < 1991 || len(raw) != 2 || raw[1] != 0xfe {
			t.Fatalf("row %s: born %v raw %x", name, b, raw)
		}
		names = append(names, name)
	}
	if len(names) != 2 || names[0] != "bob" || names[1] != "cy" {
		t.Fatalf("names = %v", names)
	}
	t.Run("NULL parameters", func(t *testing.T) {
		if _, err := ins.Exec(nil, nil, nil, nil); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.QueryRow("SELECT COUNT(*) FROM p WHERE name IS NULL AND raw IS NULL").Scan(&n); err != nil || n != 1 {
			t.Fatalf("count = %d, %v", n, err)
		}
	})
	t.Run("wrong parameter count", func(t *testing.T) {
		_, err := db.Exec("SELECT ? + ?", 1)
		if err == nil {
			t.Fatal("accepted")
		}
	})
}

// TestServer_ReexecuteWithoutTypes sends COM_STMT_EXECUTE the way libmysql
// and PHP's mysqlnd do after the first execution: without the parameter
// types (new-params-bound = 0), which must reuse the types sent before.
func TestServer_ReexecuteWithoutTypes(t *testing.T) {
	ts := startServer(t)
	mustExec(t, ts.admin(""), "CREATE TABLE r (k INT PRIMARY KEY, v VARCHAR(20))")
	c := ts.raw(adminUser, adminPass, "main")
	st, err := c.Prepare("INSERT INTO r VALUES (?, ?)")
	if err != nil {
		t.Fatal(err)
	}
	exec := func(bound bool, k int64, v string) {
		t.Helper()
		p := binary.LittleEndian.AppendUint32([]byte{mysql.COM_STMT_EXECUTE}, st.ID)
		p = append(p, 0, 1, 0, 0, 0, 0) // flags, iteration count, NULL bitmap
		if bound {
			p = append(p, 1, mysql.MYSQL_TYPE_LONGLONG, 0, mysql.MYSQL_TYPE_VAR_STRING, 0)
		} else {
			p = append(p, 0)
		}
		p = binary.LittleEndian.AppendUint64(p, uint64(k))
		p = append(append(p, byte(len(v))), v...)
		c.ResetSequence()
		if err := c.WritePacket(append([]byte{0, 0, 0, 0}, p...)); err != nil {
			t.Fatal(err)
		}
		resp, err := c.ReadPacket()
		if err != nil || resp[0] != mysql.OK_HEADER {
			t.Fatalf("execute: %v %q", err, resp)
		}
	}
	exec(true, 1, "one")
	exec(false, 2, "two")
	exec(false, 3, "three")
	r, err := c.Execute("SELECT v FROM r WHERE k = 2")
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := r.GetString(0, 0); v != "two" {
		t.Fatalf("row 2 = %q, want two", v)
	}
}

func TestServer_Commands(t *testing.T) {
	ts := startServer(t)
	mustExec(t, ts.admin(""), "CREATE TABLE fl (id INT PRIMARY KEY, title VARCHAR(30) DEFAULT 'x')")
	c := ts.raw(adminUser, adminPass, "main")
	t.Run("ping", func(t *testing.T) {
		if err := c.Ping(); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("init db", func(t *testing.T) {
		if err := c.UseDB("main"); err != nil {
			t.Fatal(err)
		}
		if err := c.UseDB("nope"); err == nil {
			t.Fatal("USE of a missing database accepted")
		}
	})
	t.Run("field list", func(t *testing.T) {
		fields, err := c.FieldList("fl", "")
		if err != nil {
			t.Fatal(err)
		}
		if len(fields) != 2 || string(fields[1].Name) != "title" || fields[1].Type != mysql.MYSQL_TYPE_VAR_STRING {
			t.Fatalf("fields = %+v", fields)
		}
	})
	t.Run("statistics", func(t *testing.T) {
		resp := command(t, c, mysql.COM_STATISTICS)
		if len(resp) < 7 || string(resp[:7]) != "Uptime:" {
			t.Fatalf("statistics = %q", resp)
		}
	})
	t.Run("reset connection", func(t *testing.T) {
		if _, err := c.Execute("SET @x = 5"); err != nil {
			t.Fatal(err)
		}
		if resp := command(t, c, mysql.COM_RESET_CONNECTION); resp[0] != mysql.OK_HEADER {
			t.Fatalf("reset = %q", resp)
		}
		r, err := c.Execute("SELECT @x IS NULL")
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := r.GetInt(0, 0); v != 1 {
			t.Fatal("user variable survived COM_RESET_CONNECTION")
		}
	})
	t.Run("unknown command", func(t *testing.T) {
		if resp := command(t, c, 0x1d); resp[0] != mysql.ERR_HEADER || binary.LittleEndian.Uint16(resp[1:]) != mysql.ER_UNKNOWN_COM_ERROR {
			t.Fatalf("response = %q", resp)
		}
	})
}

// command sends a command without arguments and returns the first packet of the answer.
func command(t *testing.T, c interface {
	ResetSequence()
	WritePacket([]byte) error
	ReadPacket() ([]byte, error)
}, cmd byte) []byte {
	t.Helper()
	c.ResetSequence()
	if err := c.WritePacket([]byte{0, 0, 0, 0, cmd}); err != nil {
		t.Fatal(err)
	}
	resp, err := c.ReadPacket()
	if err != nil {
		t.Fatal(err)
	}
	return resp
}
