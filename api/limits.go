package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/warren-db/warren/engine"
)

// Limit defaults.
const (
	DefaultMaxBodyBytes  = 16 << 20 // 16 MiB
	DefaultMaxStatements = 1000
)

// limitBody caps r's body at the configured size; a larger Content-Length is
// refused at once, a body that lies about its length when it is read.
func (s *Server) limitBody(w http.ResponseWriter, r *http.Request) error {
	if r.ContentLength > s.maxBody {
		return tooLargeBody(s.maxBody)
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.maxBody)
	return nil
}

func tooLargeBody(limit int64) error {
	return engine.Errorf(engine.CodeTooLarge, "request body is larger than %d bytes", limit)
}

// checkStatements refuses an empty batch or one over the statement limit.
func (s *Server) checkStatements(n int) error {
	if n == 0 {
		return engine.Errorf(engine.CodeInvalid, `field "statements" must hold at least one statement`)
	}
	if n > s.maxStatements {
		return engine.Errorf(engine.CodeTooLarge, "%d statements is more than the limit of %d", n, s.maxStatements)
	}
	return nil
}

// hasBody reports whether r carries a body.
func hasBody(r *http.Request) bool {
	return r.Body != nil && r.Body != http.NoBody && r.ContentLength != 0
}

// checkJSONType refuses a body that is not declared application/json. Besides
// keeping the contract, this makes browsers preflight cross-origin writes.
func checkJSONType(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	mt, _, _ := strings.Cut(ct, ";")
	if strings.EqualFold(strings.TrimSpace(mt), "application/json") {
		return nil
	}
	return engine.Errorf(engine.CodeInvalid, "header Content-Type must be application/json, not %q", ct)
}

// decodeBody decodes r's JSON body (already limited) into v: numbers in
// interface fields stay json.Number, unknown fields are refused, and nothing
// may follow the document. An absent body is an error unless optional.
func decodeBody(r *http.Request, v any, optional bool) error {
	if !hasBody(r) {
		if optional {
			return nil
		}
		return bodyError(io.EOF)
	}
	if err := checkJSONType(r); err != nil {
		return err
	}
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) && optional {
			return nil
		}
		return bodyError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err != nil {
			return bodyError(err)
		}
		return engine.Errorf(engine.CodeInvalid, "malformed JSON: data after the end of the body's JSON value")
	}
	return nil
}

// bodyError turns a decoding error into a client error naming the problem.
func bodyError(err error) error {
	var (
		tooBig *http.MaxBytesError
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &tooBig):
		return tooLargeBody(tooBig.Limit)
	case errors.Is(err, io.EOF):
		return engine.Errorf(engine.CodeInvalid, "request body is empty; it must be a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return engine.Errorf(engine.CodeInvalid, "malformed JSON: the body ends in the middle of a value")
	case errors.As(err, &syntax):
		return engine.Errorf(engine.CodeInvalid, "malformed JSON at byte %d: %s", syntax.Offset, syntax.Error())
	case errors.As(err, &typ):
		return typeError(typ)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return engine.Errorf(engine.CodeInvalid, "unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	return &engine.Error{Code: engine.CodeInvalid, Message: "read request body: " + err.Error(), Err: err}
}

// typeError names the field whose JSON type is wrong.
func typeError(e *json.UnmarshalTypeError) error {
	if e.Field == "" {
		return engine.Errorf(engine.CodeInvalid, "request body must be %s, not a JSON %s", jsonKind(e.Type), e.Value)
	}
	return engine.Errorf(engine.CodeInvalid, "field %q must be %s, not a JSON %s", e.Field, jsonKind(e.Type), e.Value)
}

// jsonKind names the JSON kind that decodes into t.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Int, reflect.Int64, reflect.Float64:
		return "a number"
	}
	return fmt.Sprintf("a %s", t)
}
