package cluster

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// Stmt is one statement of an exec request.
type Stmt struct {
	SQL    string `json:"sql"`
	Params []any  `json:"params,omitempty"`
}

// APIError is the error object of a failed request.
type APIError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ExecResult is the answer of POST /v1/db/{db}/exec with its HTTP status.
type ExecResult struct {
	Status  int `json:"-"`
	Results []struct {
		RowsAffected int64 `json:"rows_affected"`
		LastInsertID int64 `json:"last_insert_id"`
	} `json:"results"`
	Bookmark string    `json:"bookmark"`
	Error    *APIError `json:"error"`
}

// QueryResult is the answer of POST /v1/db/{db}/query.
type QueryResult struct {
	Columns []string `json:"columns"`
	Rows    [][]any  `json:"rows"`
}

// ClusterInfo is the answer of GET /v1/cluster.
type ClusterInfo struct {
	NodeID  string `json:"node_id"`
	Members []struct {
		NodeID    string `json:"node_id"`
		State     string `json:"state"`
		Role      string `json:"role"`
		Slot      int    `json:"slot"`
		Databases map[string]struct {
			Vector map[string]uint64 `json:"vector"`
			Lag    int64             `json:"lag"`
		} `json:"databases"`
	} `json:"members"`
}

// Exec runs statements as one request on database db at a consistency
// ("" for the node's default). The error is only for a failed HTTP exchange;
// the status and any API error are in the result.
func (n *Node) Exec(db, consistency string, stmts ...Stmt) (ExecResult, error) {
	return n.ExecAfter(db, consistency, "", stmts...)
}

// ExecAfter is Exec that carries bookmark (when not empty): the statements
// run once the node has applied it.
func (n *Node) ExecAfter(db, consistency, bookmark string, stmts ...Stmt) (ExecResult, error) {
	var out ExecResult
	body := map[string]any{"statements": stmts}
	if consistency != "" {
		body["consistency"] = consistency
	}
	if bookmark != "" {
		body["bookmark"] = bookmark
	}
	status, err := n.call("POST", "/v1/db/"+db+"/exec", body, &out)
	out.Status = status
	return out, err
}

// MustExec is Exec that fails the test unless the answer is 200. Call it
// from the test goroutine only.
func (n *Node) MustExec(db, consistency string, stmts ...Stmt) ExecResult {
	n.t.Helper()
	res, err := n.Exec(db, consistency, stmts...)
	if err != nil || res.Status != http.StatusOK {
		n.t.Fatalf("exec on %s %+v: status %d, error %+v, %v", n.Name, stmts, res.Status, res.Error, err)
	}
	return res
}

// Query runs a read on database db, waiting for bookmark when it is not empty.
func (n *Node) Query(db, sql, bookmark string, params ...any) (QueryResult, error) {
	var out struct {
		QueryResult
		Error *APIError `json:"error"`
	}
	body := map[string]any{"sql": sql}
	if len(params) > 0 {
		body["params"] = params
	}
	if bookmark != "" {
		body["bookmark"] = bookmark
	}
	status, err := n.call("POST", "/v1/db/"+db+"/query", body, &out)
	if err == nil && status != http.StatusOK {
		err = fmt.Errorf("query %q on %s: status %d, error %+v", sql, n.Name, status, out.Error)
	}
	return out.QueryResult, err
}

// MustQuery is Query that fails the test on any error.
func (n *Node) MustQuery(db, sql string, params ...any) QueryResult {
	n.t.Helper()
	res, err := n.Query(db, sql, "", params...)
	if err != nil {
		n.t.Fatal(err)
	}
	return res
}

// Cluster returns the node's view of the cluster.
func (n *Node) Cluster() (ClusterInfo, error) {
	var out ClusterInfo
	status, err := n.call("GET", "/v1/cluster", nil, &out)
	if err == nil && status != http.StatusOK {
		err = fmt.Errorf("GET /v1/cluster on %s: status %d", n.Name, status)
	}
	return out, err
}

// call sends a JSON request and decodes the JSON answer (numbers stay exact).
func (n *Node) call(method, path string, body, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, fmt.Errorf("encode request: %w", err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, n.URL()+path, rd)
	if err != nil {
		return 0, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := n.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("%s %s on %s: %w", method, path, n.Name, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, fmt.Errorf("read answer of %s %s on %s: %w", method, path, n.Name, err)
	}
	if out != nil && len(data) > 0 {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(out); err != nil {
			return resp.StatusCode, fmt.Errorf("decode answer %q of %s %s on %s: %w", data, method, path, n.Name, err)
		}
	}
	return resp.StatusCode, nil
}
