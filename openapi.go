// Package warren holds what the whole module shares at its root: the HTTP API
// contract, embedded so that the binary serves the exact file the tests check.
package warren

import _ "embed" // for go:embed

// OpenAPISpec is openapi.yaml, the contract of the HTTP API, served at
// /openapi.yaml and used to validate requests.
//
//go:embed openapi.yaml
var OpenAPISpec []byte
