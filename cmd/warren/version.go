package main

// version is the build's version, set at link time:
//
//	go build -ldflags "-X main.version=v1.2.3" ./cmd/warren
var version = "dev"
