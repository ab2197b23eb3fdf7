package cluster

import (
	"bytes"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"
)

// stopTimeout bounds a graceful stop.
const stopTimeout = 20 * time.Second

// Stop sends SIGTERM and expects a clean exit (status 0) in time.
func (n *Node) Stop() {
	n.t.Helper()
	if err := n.stop(); err != nil {
		n.t.Errorf("stop %s: %v", n.Name, err)
	}
}

func (n *Node) stop() error { return n.terminate(stopTimeout) }

// terminate sends SIGTERM (after SIGCONT if paused) and waits up to timeout
// for a clean exit; after that it kills the process.
func (n *Node) terminate(timeout time.Duration) error {
	cmd, exited := n.running()
	if cmd == nil {
		return nil
	}
	n.Resume()
	n.expectExit()
	n.log.mark("=== test: SIGTERM " + n.Name)
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(timeout):
		cmd.Process.Kill()
		<-exited
		n.forget()
		return fmt.Errorf("did not exit within %s of SIGTERM", timeout)
	}
	err := n.exitErr()
	n.forget()
	if err != nil {
		return fmt.Errorf("exited with %v after SIGTERM", err)
	}
	return nil
}

// waitExit waits up to timeout for the process to exit on its own and
// returns its exit error; ok is false if it is still running.
func (n *Node) waitExit(timeout time.Duration) (err error, ok bool) {
	_, exited := n.running()
	if exited == nil {
		return nil, false
	}
	select {
	case <-exited:
	default:
		select {
		case <-exited:
		case <-time.After(timeout):
			return nil, false
		}
	}
	err = n.exitErr()
	n.forget()
	return err, true
}

// Kill crashes the process with SIGKILL (kill -9) and waits until it is gone.
func (n *Node) Kill() {
	n.t.Helper()
	cmd, exited := n.running()
	if cmd == nil {
		n.t.Fatalf("kill %s: not running", n.Name)
	}
	n.expectExit()
	n.log.mark("=== test: SIGKILL " + n.Name)
	cmd.Process.Kill()
	<-exited
	n.forget()
}

// Pause freezes the process with SIGSTOP: to its peers it looks partitioned.
func (n *Node) Pause() {
	n.t.Helper()
	cmd, _ := n.running()
	if cmd == nil {
		n.t.Fatalf("pause %s: not running", n.Name)
	}
	n.log.mark("=== test: SIGSTOP " + n.Name)
	n.mu.Lock()
	n.paused = true
	n.mu.Unlock()
	if err := cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		n.t.Fatalf("pause %s: %v", n.Name, err)
	}
	waitStopped(n.t, cmd.Process.Pid)
}

// waitStopped waits until the kernel reports process pid stopped: kill
// returns before every thread has stopped, and a test that freezes a node
// must not race its last instructions.
func waitStopped(t testing.TB, pid int) {
	t.Helper()
	path := fmt.Sprintf("/proc/%d/stat", pid)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		stat, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("read state of pid %d: %v", pid, err)
		}
		// pid (comm) state ...: comm may hold spaces, so look after the last ')'
		if i := bytes.LastIndexByte(stat, ')'); i > 0 && i+2 < len(stat) && (stat[i+2] == 'T' || stat[i+2] == 't') {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("pid %d did not stop within 10s of SIGSTOP", pid)
}

// Resume continues a paused process with SIGCONT; it does nothing otherwise.
func (n *Node) Resume() {
	n.mu.Lock()
	cmd, paused := n.cmd, n.paused
	n.paused = false
	n.mu.Unlock()
	if cmd != nil && paused {
		n.log.mark("=== test: SIGCONT " + n.Name)
		cmd.Process.Signal(syscall.SIGCONT)
	}
}

// expectExit records that the test is about to end the running process.
func (n *Node) expectExit() {
	n.mu.Lock()
	n.ending = true
	n.mu.Unlock()
}
