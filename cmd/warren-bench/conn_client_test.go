package main

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The direct client keeps one connection across requests, reads bodies of
// both framings, and dials again after the server closes the connection.
func TestConnClient_ReusesAndRedials(t *testing.T) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch r.URL.Path {
		case "/chunked":
			w.Write([]byte("part1-"))
			w.(http.Flusher).Flush() // forces chunked encoding
			w.Write(body)
		case "/close":
			w.Header().Set("Connection", "close")
			w.Write(body)
		default:
			w.Write(body)
		}
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c := newConnClient(strings.TrimPrefix(srv.URL, "http://"), time.Second)
	defer c.Close()
	a := newAPIClient(c, srv.URL, "db", "")
	send := func(path, body string) string {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
		resp, err := a.http.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		got, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatalf("%s: read body: %v", path, err)
		}
		return string(got)
	}
	for i, c := range []struct{ path, body, want string }{
		{"/", "one", "one"}, {"/chunked", "two", "part1-two"}, {"/", "three", "three"},
	} {
		if got := send(c.path, c.body); got != c.want {
			t.Fatalf("request %d: body %q, want %q", i, got, c.want)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Fatalf("%d connections for 3 requests, want 1", n)
	}
	send("/close", "bye")
	if got := send("/", "again"); got != "again" {
		t.Fatalf("after the server closed: %q", got)
	}
	if n := conns.Load(); n != 2 {
		t.Fatalf("%d connections, want a second one after Connection: close", n)
	}
}

func TestConnClient_DeadServer(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c := newConnClient(addr, time.Second)
	req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/", nil)
	if _, err := c.Do(req); err == nil || !strings.Contains(err.Error(), "dial") {
		t.Fatalf("a dead server answered: %v", err)
	}
}
