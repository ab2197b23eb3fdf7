package main

import (
	"net"
	"net/http"
	"time"
)

// newHTTPClient returns a client tuned for benchmarking: keep-alive, up to
// perHost idle connections per node (one per client), HTTP/1.1 (one
// connection per client, no HTTP/2 multiplexing), no transparent
// compression, and a per-request timeout.
func newHTTPClient(perHost, hosts int, timeout time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		MaxIdleConns:          perHost * hosts,
		MaxIdleConnsPerHost:   perHost,
		IdleConnTimeout:       90 * time.Second,
		DisableCompression:    true,
		ExpectContinueTimeout: time.Second,
		TLSHandshakeTimeout:   5 * time.Second,
	}
	return &http.Client{Transport: tr, Timeout: timeout}
}
