package main

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// requestDoer sends one HTTP request; *http.Client is one.
type requestDoer interface {
	Do(req *http.Request) (*http.Response, error)
}

// connClient sends a worker's requests over one keep-alive HTTP/1.1
// connection of its own, writing each request and parsing its response on
// the caller's goroutine, as wrk does. net/http's Transport hands every
// request to two goroutines of its own per connection; on a small machine
// shared with the server those handoffs cost the load tool about as much
// CPU as a node spends on the request. It is not safe for concurrent use: a
// worker waits for each answer before it sends the next request.
type connClient struct {
	addr    string // host:port
	timeout time.Duration
	br      *bufio.Reader
	bw      *bufio.Writer
	last    *http.Response // the previous answer, whose body must be read before the next

	mu     sync.Mutex // guards conn and closed: Close may come from another goroutine
	conn   net.Conn
	closed bool
}

func newConnClient(addr string, timeout time.Duration) *connClient {
	return &connClient{addr: addr, timeout: timeout}
}

// Do sends req and reads the answer's header; the caller reads and closes
// the body before the next call. A broken connection is dialed again on the
// next call.
func (c *connClient) Do(req *http.Request) (*http.Response, error) {
	if c.last != nil {
		c.last.Body.Close()
		if c.last.Close {
			c.drop()
		}
		c.last = nil
	}
	conn, err := c.dial()
	if err != nil {
		return nil, err
	}
	if err := conn.SetDeadline(time.Now().Add(c.timeout)); err != nil {
		c.drop()
		return nil, fmt.Errorf("set deadline: %w", err)
	}
	if err := req.Write(c.bw); err == nil {
		err = c.bw.Flush()
	} else {
		c.drop()
		return nil, fmt.Errorf("write request: %w", err)
	}
	resp, err := http.ReadResponse(c.br, req)
	if err != nil {
		c.drop()
		return nil, fmt.Errorf("read response: %w", err)
	}
	c.last = resp
	return resp, nil
}

// dial returns the open connection, or opens one.
func (c *connClient) dial() (net.Conn, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.closed:
		return nil, net.ErrClosed
	case c.conn != nil:
		return c.conn, nil
	}
	conn, err := net.DialTimeout("tcp", c.addr, 5*time.Second)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", c.addr, err)
	}
	c.conn, c.br, c.bw = conn, bufio.NewReader(conn), bufio.NewWriter(conn)
	return conn, nil
}

func (c *connClient) drop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
}

// Close closes the connection; a request in flight fails.
func (c *connClient) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	if c.conn != nil {
		c.conn.Close()
	}
	return nil
}
