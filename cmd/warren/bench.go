package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// benchProgram is the load generator `warren bench` runs.
const benchProgram = "warren-bench"

// benchCommand runs warren-bench with args, found next to this executable or
// on PATH, and returns its exit status. Canceling ctx interrupts it.
func benchCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	path, err := findBench()
	if err != nil {
		fmt.Fprintf(stderr, "warren: %s is not installed: build it with go build ./cmd/warren-bench and put it on PATH\n", benchProgram)
		return exitFailed
	}
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, stdout, stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	var exitErr *exec.ExitError
	if err := cmd.Run(); errors.As(err, &exitErr) {
		return exitErr.ExitCode()
	} else if err != nil {
		fmt.Fprintf(stderr, "warren: run %s: %v\n", benchProgram, err)
		return exitFailed
	}
	return exitOK
}

// findBench looks for warren-bench beside the running executable, then on PATH.
func findBench() (string, error) {
	if self, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(self), benchProgram)
		if info, err := os.Stat(p); err == nil && !info.IsDir() {
			return p, nil
		}
	}
	return exec.LookPath(benchProgram)
}
