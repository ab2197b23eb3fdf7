package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// Exit statuses.
const (
	exitOK     = 0
	exitFailed = 1 // the node could not start or stopped with an error
	exitUsage  = 2 // bad flags, environment or config file
)

// main wires the process (signals, arguments, environment, stdio) to run.
func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// After the first signal, a second one kills the process at once.
	context.AfterFunc(ctx, stop)
	code := run(ctx, os.Args[1:], os.Environ(), os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes the command line args and returns the exit status. Canceling
// ctx stops a running node gracefully.
func run(ctx context.Context, args, env []string, stdout, stderr io.Writer) int {
	cmd, rest := splitCommand(args)
	switch cmd {
	case "serve":
		return serveCommand(ctx, rest, env, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "warren", version)
		return exitOK
	case "help":
		if err := writeUsage(stdout); err != nil {
			return exitFailed
		}
		return exitOK
	case "bench":
		return benchCommand(ctx, rest, stdout, stderr)
	}
	fmt.Fprintf(stderr, "warren: unknown command %q (run warren --help)\n", cmd)
	return exitUsage
}

// splitCommand returns the subcommand and its arguments; flags alone mean serve.
func splitCommand(args []string) (string, []string) {
	if len(args) == 0 {
		return "serve", nil
	}
	switch args[0] {
	case "-version", "--version":
		return "version", nil
	}
	if strings.HasPrefix(args[0], "-") {
		return "serve", args
	}
	return args[0], args[1:]
}

// serveCommand starts a node and runs it until ctx is canceled or it fails.
func serveCommand(ctx context.Context, args, env []string, stdout, stderr io.Writer) int {
	tuneGC(env)
	m := NewMain()
	m.Env, m.LogOutput = env, stderr
	if err := m.ParseFlags(args); errors.Is(err, flag.ErrHelp) {
		if err := writeUsage(stdout); err != nil {
			return exitFailed
		}
		return exitOK
	} else if err != nil {
		fmt.Fprintln(stderr, "warren:", err)
		return exitUsage
	}
	if err := m.Run(ctx); err != nil {
		m.Logger.Error("start failed", keyError, err)
		_ = m.Close()
		return exitFailed
	}
	code := exitOK
	select {
	case <-ctx.Done():
		m.Logger.Info("shutting down")
	case err := <-m.Failed():
		m.Logger.Error("http server failed", keyError, err)
		code = exitFailed
	}
	if err := m.Close(); err != nil {
		m.Logger.Error("shutdown failed", keyError, err)
		return exitFailed
	}
	m.Logger.Info("stopped")
	return code
}
