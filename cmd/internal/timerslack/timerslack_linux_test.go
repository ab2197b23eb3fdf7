package timerslack

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// Every thread of the process, the ones Go starts later included, has the
// slack the constructor set before the runtime began.
func TestTimerSlack_OneMillisecondOnEveryThread(t *testing.T) {
	if os.Getenv(Env) != "" {
		t.Skipf("%s is set in the test's environment", Env)
	}
	done := make(chan time.Duration, 8)
	for range cap(done) {
		go func() {
			runtime.LockOSThread() // a thread of its own, possibly a new one
			done <- Current()
		}()
	}
	for range cap(done) {
		if got := <-done; got != time.Millisecond {
			t.Fatalf("timer slack %v, want 1ms", got)
		}
	}
}

// WARREN_TIMER_SLACK_US chooses the slack of a process started with it; 0
// keeps the one it inherited.
func TestTimerSlack_FromTheEnvironment(t *testing.T) {
	if os.Getenv("WARREN_TEST_PRINT_SLACK") != "" {
		fmt.Printf("slack=%v\n", Current())
		return
	}
	runtime.LockOSThread() // the child is forked from this thread and inherits its slack
	defer runtime.UnlockOSThread()
	if err := unix.Prctl(unix.PR_SET_TIMERSLACK, 70_000, 0, 0, 0); err != nil {
		t.Fatal(err)
	}
	defer unix.Prctl(unix.PR_SET_TIMERSLACK, uintptr(time.Millisecond), 0, 0, 0)
	for env, want := range map[string]string{"250": "250µs", "": "1ms", "0": "70µs"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestTimerSlack_FromTheEnvironment$")
		cmd.Env = append(os.Environ(), "WARREN_TEST_PRINT_SLACK=1", Env+"="+env)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s=%s: %v\n%s", Env, env, err, out)
		}
		if !strings.Contains(string(out), "slack="+want+"\n") {
			t.Errorf("%s=%q: got %q, want slack=%s", Env, env, out, want)
		}
	}
}

func TestCheck(t *testing.T) {
	for _, raw := range []string{"", "0", "1", "300", "100000"} {
		if err := Check(raw); err != nil {
			t.Errorf("Check(%q): %v", raw, err)
		}
	}
	for _, raw := range []string{"abc", "-1", "1ms", "100001", " 5"} {
		if err := Check(raw); err == nil || !strings.Contains(err.Error(), Env) {
			t.Errorf("Check(%q) = %v, want an error naming %s", raw, err, Env)
		}
	}
}
