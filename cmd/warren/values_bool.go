package main

import (
	"fmt"
	"strconv"
	"strings"
)

var _ value = boolValue{}

// boolValue is an on/off setting: --flag alone turns it on, --flag=false
// off; the config file takes true or false.
type boolValue struct{ p *bool }

func (v boolValue) String() string {
	if v.p == nil {
		return "false"
	}
	return strconv.FormatBool(*v.p)
}

func (v boolValue) Set(s string) error {
	b, err := strconv.ParseBool(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("%q is not true or false", s)
	}
	*v.p = b
	return nil
}

// IsBoolFlag lets the flag package accept the flag without a value.
func (v boolValue) IsBoolFlag() bool { return true }

func (v boolValue) setTOML(x any) error {
	b, ok := x.(bool)
	if !ok {
		return fmt.Errorf("got %T %v, want true or false", x, x)
	}
	*v.p = b
	return nil
}

func boolean(f func(c *Config) *bool) func(c *Config) value {
	return func(c *Config) value { return boolValue{f(c)} }
}
