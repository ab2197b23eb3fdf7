// Package timerslack sets a process's timer slack before the Go runtime
// starts its threads, so that every thread inherits it. Importing the
// package is enough: a C constructor runs when the program loads. Both
// warren and warren-bench link it.
//
// The slack is how late the kernel may fire a timer. Go's sysmon thread
// sleeps 20µs at a time while goroutines keep entering long cgo calls or
// syscalls, so under load it woke about 2,700 times a second per process, a
// context switch each. With 1ms it wakes at most about 1,000 times; nothing
// in Warren or its load tool waits on a timer shorter than that.
package timerslack

import (
	"fmt"
	"strconv"
)

// Env names the environment variable that sets the slack in microseconds:
// 1000 when unset, 0 keeps the slack the process was started with (the
// kernel's 50µs unless its parent changed it). The constructor reads it
// before Go starts, so it is an environment variable only. Only Linux has a
// timer slack; elsewhere the variable is checked and ignored.
const Env = "WARREN_TIMER_SLACK_US"

// Check reports a value of Env that the constructor ignored; raw is the
// variable's value, "" when unset.
func Check(raw string) error {
	if raw == "" {
		return nil
	}
	if n, err := strconv.Atoi(raw); err != nil || n < 0 || n > 100000 {
		return fmt.Errorf("%s=%q: want microseconds, 0..100000 (0 keeps the slack the process started with)", Env, raw)
	}
	return nil
}
