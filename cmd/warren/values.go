package main

import (
	"flag"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// value binds one setting to its Config field. Set parses the text form used
// by flags and environment variables; setTOML takes a decoded TOML value.
type value interface {
	flag.Value
	setTOML(v any) error
}

var (
	_ value = stringValue{}
	_ value = enumValue{}
	_ value = secretValue{}
	_ value = intValue{}
	_ value = durationValue{}
	_ value = sizeValue{}
	_ value = (*listValue)(nil)
)

// tomlString returns v as a string, or an error naming the wanted type.
func tomlString(v any, want string) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("got %T %v, want %s", v, v, want)
	}
	return s, nil
}

type stringValue struct{ p *string }

func (v stringValue) String() string {
	if v.p == nil {
		return ""
	}
	return *v.p
}
func (v stringValue) Set(s string) error { *v.p = s; return nil }
func (v stringValue) setTOML(x any) error {
	s, err := tomlString(x, "a string")
	if err != nil {
		return err
	}
	return v.Set(s)
}

// enumValue is a string that must be one of choices; it is stored lower-case.
type enumValue struct {
	p       *string
	choices []string
}

func (v enumValue) String() string { return stringValue{v.p}.String() }
func (v enumValue) Set(s string) error {
	s = strings.ToLower(strings.TrimSpace(s))
	if !slices.Contains(v.choices, s) {
		return fmt.Errorf("%q is not one of %s", s, strings.Join(v.choices, ", "))
	}
	*v.p = s
	return nil
}
func (v enumValue) setTOML(x any) error {
	s, err := tomlString(x, "a string")
	if err != nil {
		return err
	}
	return v.Set(s)
}

// secretValue never renders its value, so --help shows no default secret.
type secretValue struct{ p *Secret }

func (v secretValue) String() string {
	if v.p == nil {
		return ""
	}
	return v.p.String()
}
func (v secretValue) Set(s string) error { *v.p = Secret(s); return nil }
func (v secretValue) setTOML(x any) error {
	s, err := tomlString(x, "a string")
	if err != nil {
		return err
	}
	return v.Set(s)
}

type intValue struct{ p *int }

func (v intValue) String() string {
	if v.p == nil {
		return "0"
	}
	return strconv.Itoa(*v.p)
}
func (v intValue) Set(s string) error {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("%q is not a whole number", s)
	}
	*v.p = n
	return nil
}
func (v intValue) setTOML(x any) error {
	n, ok := x.(int64)
	if !ok {
		return fmt.Errorf("got %T %v, want a whole number", x, x)
	}
	if n < math.MinInt || n > math.MaxInt {
		return fmt.Errorf("%d is too large", n)
	}
	*v.p = int(n)
	return nil
}

type durationValue struct{ p *time.Duration }

func (v durationValue) String() string {
	if v.p == nil {
		return "0s"
	}
	return v.p.String()
}
func (v durationValue) Set(s string) error {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("%q is not a duration: use a Go duration like 5s, 250ms or 1m30s", s)
	}
	*v.p = d
	return nil
}
func (v durationValue) setTOML(x any) error {
	s, err := tomlString(x, `a duration string like "5s"`)
	if err != nil {
		return err
	}
	return v.Set(s)
}

type sizeValue struct{ p *ByteSize }

func (v sizeValue) String() string {
	if v.p == nil {
		return "0"
	}
	return v.p.String()
}
func (v sizeValue) Set(s string) error {
	b, err := ParseByteSize(s)
	if err != nil {
		return err
	}
	*v.p = b
	return nil
}
func (v sizeValue) setTOML(x any) error {
	switch t := x.(type) {
	case int64:
		if t < 0 {
			return fmt.Errorf("%d is negative", t)
		}
		*v.p = ByteSize(t)
		return nil
	case string:
		return v.Set(t)
	}
	return fmt.Errorf(`got %T %v, want bytes or a size string like "16MiB"`, x, x)
}

// listValue is a list written as "a,b,c". The first Set of a source replaces
// the list; later ones (a repeated flag) append to it.
type listValue struct {
	p       *[]string
	started bool
}

func (v *listValue) String() string {
	if v == nil || v.p == nil {
		return ""
	}
	return strings.Join(*v.p, ",")
}
func (v *listValue) Set(s string) error {
	if !v.started {
		*v.p, v.started = nil, true
	}
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			*v.p = append(*v.p, item)
		}
	}
	return nil
}
func (v *listValue) setTOML(x any) error {
	if s, ok := x.(string); ok {
		return v.Set(s)
	}
	items, ok := x.([]any)
	if !ok {
		return fmt.Errorf(`got %T %v, want a list of strings like ["a", "b"]`, x, x)
	}
	*v.p, v.started = []string{}, true
	for _, item := range items {
		s, err := tomlString(item, "a list of strings")
		if err != nil {
			return err
		}
		if s = strings.TrimSpace(s); s != "" {
			*v.p = append(*v.p, s)
		}
	}
	return nil
}

// floatValue is a number that may have a fraction (hours of retention, say).
type floatValue struct{ p *float64 }

func (v floatValue) String() string {
	if v.p == nil {
		return "0"
	}
	return strconv.FormatFloat(*v.p, 'g', -1, 64)
}

func (v floatValue) Set(s string) error {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return fmt.Errorf("%q is not a number", s)
	}
	*v.p = f
	return nil
}

func (v floatValue) setTOML(x any) error {
	switch n := x.(type) {
	case int64:
		*v.p = float64(n)
	case float64:
		*v.p = n
	default:
		return fmt.Errorf("got %T %v, want a number", x, x)
	}
	return nil
}
