package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/go-chi/chi/v5"

	"github.com/warren-db/warren/engine"
)

// Requests are checked against openapi.yaml with kin-openapi. The spec is
// loaded and compiled once, and each route is bound to its operation up
// front, so a request costs no route lookup.
//
// The hot routes (query, exec and their transaction variants, marked hot in
// the route table) skip kin-openapi: BenchmarkValidateQuery measures it at
// well over the 20% of a point read we allow it (it decodes the body a
// second time into maps and walks the schema), so their handlers check the
// same rules by hand while decoding (query.go, exec.go). The tests validate
// every request with kin-openapi as well and require the server to refuse
// what the spec refuses, which keeps the two in step.

// loadSpec parses and validates an OpenAPI document.
func loadSpec(spec []byte) (*openapi3.T, error) {
	if len(spec) == 0 {
		return nil, errors.New("load openapi spec: Config.Spec is empty")
	}
	doc, err := openapi3.NewLoader().LoadFromData(spec)
	if err != nil {
		return nil, fmt.Errorf("load openapi spec: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("validate openapi spec: %w", err)
	}
	return doc, nil
}

// bindSpec compiles spec and returns the operation of each route; a route
// the spec does not describe is an error.
func bindSpec(spec []byte, routes []route) ([]*routers.Route, error) {
	doc, err := loadSpec(spec)
	if err != nil {
		return nil, err
	}
	ops := make([]*routers.Route, len(routes))
	for i, rt := range routes {
		item := doc.Paths.Value(rt.pattern)
		var op *openapi3.Operation
		if item != nil {
			op = item.GetOperation(rt.method)
		}
		if op == nil {
			return nil, fmt.Errorf("bind route: %s %s is not in openapi.yaml", rt.method, rt.pattern)
		}
		ops[i] = &routers.Route{Spec: doc, Path: rt.pattern, PathItem: item, Method: rt.method, Operation: op}
	}
	return ops, nil
}

// validationOptions are the kin-openapi options of request validation.
func validationOptions() *openapi3filter.Options {
	return &openapi3filter.Options{
		AuthenticationFunc:  openapi3filter.NoopAuthenticationFunc, // auth.go decides
		SkipSettingDefaults: true,                                  // handlers apply defaults
	}
}

// validate checks r (path and query parameters, body) against op. It leaves
// r's body readable again.
func (s *Server) validate(r *http.Request, op *routers.Route) error {
	input := &openapi3filter.RequestValidationInput{
		Request:    r,
		PathParams: pathParams(r),
		Route:      op,
		Options:    s.validation,
	}
	if err := openapi3filter.ValidateRequest(r.Context(), input); err != nil {
		return validationError(err)
	}
	return nil
}

// pathParams returns the URL parameters chi matched.
func pathParams(r *http.Request) map[string]string {
	rc := chi.RouteContext(r.Context())
	if rc == nil {
		return nil
	}
	m := make(map[string]string, len(rc.URLParams.Keys))
	for i, k := range rc.URLParams.Keys {
		m[k] = rc.URLParams.Values[i]
	}
	return m
}

// validationError turns a kin-openapi error into a client error that names
// the offending field or parameter.
func validationError(err error) error {
	var (
		tooBig *http.MaxBytesError
		schema *openapi3.SchemaError
		req    *openapi3filter.RequestError
	)
	if errors.As(err, &tooBig) {
		return tooLargeBody(tooBig.Limit)
	}
	msg := err.Error()
	switch {
	case errors.As(err, &req) && req.Parameter != nil:
		msg = fmt.Sprintf("parameter %q in %s: %s", req.Parameter.Name, req.Parameter.In, reason(req))
	case errors.As(err, &schema):
		msg = schemaMessage(schema)
	case errors.As(err, &req) && req.RequestBody != nil:
		msg = "request body: " + reason(req)
	}
	return &engine.Error{Code: engine.CodeInvalid, Message: msg, Err: err}
}

// reason is the most specific description of a request error.
func reason(e *openapi3filter.RequestError) string {
	var schema *openapi3.SchemaError
	if errors.As(e.Err, &schema) {
		return schema.Reason
	}
	if e.Err != nil {
		if e.Reason != "" {
			return e.Reason + ": " + e.Err.Error()
		}
		return e.Err.Error()
	}
	return e.Reason
}

// schemaMessage names the field of a body that broke the schema, written the
// way the handlers name fields: statements[0].sql.
func schemaMessage(e *openapi3.SchemaError) string {
	var b strings.Builder
	for _, seg := range e.JSONPointer() {
		if _, err := strconv.Atoi(seg); err == nil {
			b.WriteString("[" + seg + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(seg)
	}
	if b.Len() == 0 {
		return "request body: " + e.Reason
	}
	return fmt.Sprintf("field %q: %s", b.String(), e.Reason)
}
