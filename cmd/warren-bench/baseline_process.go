package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// The baseline normally runs in a child process, as Warren runs in its own:
// then client and server pay the same cross-process costs (wakeups, context
// switches) in both measurements. -baseline-in-process keeps it in the load
// tool's process, which is faster on a small machine and so a stricter floor.

// baselineChildEnv, when set, makes the program serve the baseline instead
// of running a workload (the child's side of startBaselineProcess).
const baselineChildEnv = "WARREN_BENCH_BASELINE_CHILD"

// baselineProcess is a baseline server running in a child process.
type baselineProcess struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	url   string
}

// startBaselineProcess starts this program again as the baseline server
// and reads the URL it serves.
func startBaselineProcess() (*baselineProcess, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find own executable: %w", err)
	}
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), baselineChildEnv+"=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("start baseline process: %w", err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("start baseline process: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start baseline process: %w", err)
	}
	p := &baselineProcess{cmd: cmd, stdin: stdin}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if p.url = strings.TrimSpace(line); err != nil || !strings.HasPrefix(p.url, "http://") {
		p.Close()
		return nil, fmt.Errorf("start baseline process: it announced %q: %v", line, err)
	}
	return p, nil
}

// Close ends the child (closing its stdin) and waits for it.
func (p *baselineProcess) Close() error {
	_ = p.stdin.Close()
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("stop baseline process: %w", err)
		}
		return nil
	case <-time.After(5 * time.Second):
		_ = p.cmd.Process.Kill()
		return fmt.Errorf("stop baseline process: killed after 5s: %w", <-done)
	}
}

// serveBaselineChild is the child's main: serve the baseline, print its
// URL, and stop when the parent closes stdin (or dies).
func serveBaselineChild(stdin io.Reader, stdout io.Writer) error {
	b, err := startBaseline()
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, b.url)
	_, _ = io.Copy(io.Discard, stdin)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return b.Close(ctx)
}

// launchBaseline starts the baseline server where cfg asks and returns its
// URL and how to stop it.
func launchBaseline(cfg Config) (string, func(context.Context) error, error) {
	if cfg.BaselineInProcess {
		b, err := startBaseline()
		if err != nil {
			return "", nil, err
		}
		return b.url, b.Close, nil
	}
	p, err := startBaselineProcess()
	if err != nil {
		return "", nil, err
	}
	return p.url, func(context.Context) error { return p.Close() }, nil
}
