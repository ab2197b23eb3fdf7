package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// queryRequest is the body of POST /v1/db/{db}/query.
type queryRequest struct {
	SQL    string `json:"sql"`
	Params []any  `json:"params,omitempty"`
}

// queryResult is the answer of POST /v1/db/{db}/query.
type queryResult struct {
	Columns []string            `json:"columns"`
	Types   []string            `json:"types"`
	Rows    [][]json.RawMessage `json:"rows"`
}

// statement is one SQL statement of an exec request.
type statement struct {
	SQL    string `json:"sql"`
	Params []any  `json:"params,omitempty"`
}

// execRequest is the body of POST /v1/db/{db}/exec.
type execRequest struct {
	Statements  []statement `json:"statements"`
	Transaction bool        `json:"transaction"`
	Consistency string      `json:"consistency,omitempty"`
}

// execResult is the answer of POST /v1/db/{db}/exec.
type execResult struct {
	Results []struct {
		RowsAffected flexInt `json:"rows_affected"`
		LastInsertID flexInt `json:"last_insert_id"`
	} `json:"results"`
	Bookmark string `json:"bookmark"`
}

// flexInt decodes an integer sent either as a JSON number or as a string
// (the form 64-bit-safe JSON APIs use for large values).
type flexInt int64

// UnmarshalJSON implements json.Unmarshaler.
func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "null" || s == "" {
		*f = 0
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("decode integer %s: %w", b, err)
	}
	*f = flexInt(n)
	return nil
}

// APIError is a non-2xx answer of the server.
type APIError struct {
	Status  int
	Code    string
	Message string
}

// Error implements error.
func (e *APIError) Error() string {
	switch {
	case e.Code == "" && e.Message == "":
		return fmt.Sprintf("http %d", e.Status)
	case e.Code == "":
		return fmt.Sprintf("http %d: %s", e.Status, e.Message)
	}
	return fmt.Sprintf("http %d %s: %s", e.Status, e.Code, e.Message)
}

// apiClient talks to one node's HTTP API for one database.
type apiClient struct {
	http     requestDoer
	base     string
	token    string
	queryURL string
	execURL  string
}

// newAPIClient returns a client for database db on the node at base.
func newAPIClient(hc requestDoer, base, db, token string) *apiClient {
	prefix := base + "/v1/db/" + url.PathEscape(db)
	return &apiClient{http: hc, base: base, token: token,
		queryURL: prefix + "/query", execURL: prefix + "/exec"}
}

// query runs one read statement.
func (a *apiClient) query(ctx context.Context, sql string, params ...any) (*queryResult, error) {
	var res queryResult
	if err := a.post(ctx, a.queryURL, queryRequest{SQL: sql, Params: params}, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// exec runs a list of write statements.
func (a *apiClient) exec(ctx context.Context, req execRequest) (*execResult, error) {
	var res execResult
	if err := a.post(ctx, a.execURL, req, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// post sends body as JSON and decodes a 2xx answer into out (if not nil).
func (a *apiClient) post(ctx context.Context, url string, body, out any) error {
	buf, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("encode request: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(buf))
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return fmt.Errorf("send request: %w", err)
	}
	defer func() {
		_, _ = io.Copy(io.Discard, resp.Body) // drain so the connection is reused
		_ = resp.Body.Close()
	}()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return decodeAPIError(resp)
	}
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("decode response: %w", err)
	}
	return nil
}

// decodeAPIError turns a non-2xx answer into an *APIError, using the
// {"error":{"code","message"}} body when there is one.
func decodeAPIError(resp *http.Response) error {
	var body struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	apiErr := &APIError{Status: resp.StatusCode}
	if json.Unmarshal(raw, &body) == nil && (body.Error.Code != "" || body.Error.Message != "") {
		apiErr.Code, apiErr.Message = body.Error.Code, body.Error.Message
	} else {
		apiErr.Message = strings.TrimSpace(string(raw))
	}
	return apiErr
}

// rowInt decodes cell col of row as an integer (number or numeric string).
func rowInt(row []json.RawMessage, col int) (int64, error) {
	if col >= len(row) {
		return 0, fmt.Errorf("decode row: no column %d", col)
	}
	var n flexInt
	if err := n.UnmarshalJSON(row[col]); err != nil {
		return 0, err
	}
	return int64(n), nil
}
