package main

import (
	"flag"
	"fmt"
	"io"
)

// newFlagSet returns the flags of `warren serve`, generated from the
// settings table and bound to c; --config sets *configPath. A bad flag value
// is appended to *problems and parsing goes on, so that every problem is
// reported at once. It prints nothing: callers report errors and render
// help themselves.
func newFlagSet(c *Config, configPath *string, problems *[]string) *flag.FlagSet {
	fs := flag.NewFlagSet("warren", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(configPath, "config", *configPath, "TOML config file")
	for _, s := range settings() {
		fs.Var(lenient{s.bind(c), s.flagName(), problems}, s.flagName(), s.help)
	}
	return fs
}

// parseArgs applies the flags in args to c and *configPath and returns the
// problems with their values. An unknown flag or a stray argument is a
// *ConfigError; -h and --help return flag.ErrHelp.
func parseArgs(c *Config, configPath *string, args []string) ([]string, error) {
	var problems []string
	fs := newFlagSet(c, configPath, &problems)
	if err := fs.Parse(args); err == flag.ErrHelp {
		return nil, err
	} else if err != nil {
		return nil, configErrorf("%v (run warren --help for the flags)", err)
	}
	if fs.NArg() > 0 {
		return nil, configErrorf("unexpected argument %q (run warren --help for the usage)", fs.Arg(0))
	}
	return problems, nil
}

// lenient records a bad flag value as a problem instead of stopping the parse.
type lenient struct {
	value
	flag     string
	problems *[]string
}

// Set sets the value or records why it cannot.
func (l lenient) Set(s string) error {
	if err := l.value.Set(s); err != nil {
		*l.problems = append(*l.problems, fmt.Sprintf("--%s: %v", l.flag, err))
	}
	return nil
}

// IsBoolFlag passes on whether the wrapped value is an on/off switch.
func (l lenient) IsBoolFlag() bool {
	b, ok := l.value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}
