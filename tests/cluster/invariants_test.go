package cluster

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// convergeTimeout bounds how long replication and anti-entropy may take to
// make the nodes identical once the load stopped (seconds when the machine
// is idle; the rest is slack for a loaded one).
const convergeTimeout = 45 * time.Second

// eventually polls cond until it returns nil; after timeout it fails the
// test with the invariant's name and cond's last complaint.
func eventually(t testing.TB, timeout time.Duration, name string, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still false after %s: %v", name, timeout, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Rows is the content of a table (id, v) as "id:v" strings in id order.
type Rows []string

// Checksum is a short digest of the content, with the row count.
func (r Rows) Checksum() string {
	h := sha256.Sum256([]byte(strings.Join(r, ",")))
	return fmt.Sprintf("%d rows, sha %s", len(r), hex.EncodeToString(h[:4]))
}

// rowsOf reads table (with columns id and v) of db on n, ordered by id.
func rowsOf(n *Node, db, table string) (Rows, error) {
	res, err := n.Query(db, fmt.Sprintf("SELECT id, v FROM %s ORDER BY id", table), "")
	if err != nil {
		return nil, err
	}
	out := make(Rows, len(res.Rows))
	for i, r := range res.Rows {
		out[i] = fmt.Sprintf("%v:%v", r[0], r[1])
	}
	return out, nil
}

// eventuallyConverged waits until table holds the same rows on every node
// and returns them.
func eventuallyConverged(t testing.TB, nodes []*Node, db, table string) Rows {
	t.Helper()
	var rows Rows
	eventually(t, convergeTimeout, "eventually_identical_content("+names(nodes)+")", func() error {
		var err error
		rows, err = sameRows(nodes, db, table)
		return err
	})
	return rows
}

// sameRows reads table on every node and complains unless all are equal.
func sameRows(nodes []*Node, db, table string) (Rows, error) {
	first, err := rowsOf(nodes[0], db, table)
	if err != nil {
		return nil, err
	}
	for _, n := range nodes[1:] {
		rows, err := rowsOf(n, db, table)
		if err != nil {
			return nil, err
		}
		if !slices.Equal(first, rows) {
			return nil, fmt.Errorf("%s has %s, %s has %s; %s", nodes[0].Name, first.Checksum(), n.Name,
				rows.Checksum(), diffRows(first, rows))
		}
	}
	return first, nil
}

// diffRows names a few rows that are only on one side.
func diffRows(a, b Rows) string {
	onlyA, onlyB := minus(a, b), minus(b, a)
	return fmt.Sprintf("only in the first: %v; only in the second: %v", head(onlyA), head(onlyB))
}

func minus(a, b Rows) Rows {
	var out Rows
	for _, r := range a {
		if !slices.Contains(b, r) {
			out = append(out, r)
		}
	}
	return out
}

func head(r Rows) string {
	if len(r) > 5 {
		return fmt.Sprintf("%v … (%d in all)", []string(r[:5]), len(r))
	}
	return fmt.Sprint([]string(r))
}

// expectRows turns id → v into Rows.
func expectRows(want map[int64]string) Rows {
	ids := make([]int64, 0, len(want))
	for id := range want {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make(Rows, len(ids))
	for i, id := range ids {
		out[i] = fmt.Sprintf("%d:%s", id, want[id])
	}
	return out
}

// finallyExactly fails unless got (converged content) is exactly want:
// every acknowledged write is there and nothing else is.
func finallyExactly(t testing.TB, got Rows, want map[int64]string) {
	t.Helper()
	if exp := expectRows(want); !slices.Equal(got, exp) {
		t.Fatalf("finally_acknowledged_writes_exactly: cluster has %s, clients were acknowledged %s; %s",
			got.Checksum(), exp.Checksum(), diffRows(got, exp))
	}
}

// countWhere returns SELECT count(*) FROM table WHERE v = value on n.
func countWhere(n *Node, db, table, value string) (int64, error) {
	res, err := n.Query(db, fmt.Sprintf("SELECT count(*) FROM %s WHERE v = ?", table), "", value)
	if err != nil {
		return 0, err
	}
	return asInt(res.Rows[0][0])
}

// finallyAbsent fails if any node has a row with v = marker.
func finallyAbsent(t testing.TB, nodes []*Node, db, table, marker string) {
	t.Helper()
	for _, n := range nodes {
		k, err := countWhere(n, db, table, marker)
		if err != nil {
			t.Fatal(err)
		}
		if k != 0 {
			t.Fatalf("finally_failed_write_happened_nowhere: %s has %d rows with v = %q", n.Name, k, marker)
		}
	}
}

// asInt converts a JSON number of a result row.
func asInt(v any) (int64, error) {
	num, ok := v.(json.Number)
	if !ok {
		return 0, fmt.Errorf("want a number, got %T %v", v, v)
	}
	return num.Int64()
}
