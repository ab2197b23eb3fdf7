package main

import (
	"fmt"
	"strconv"
)

// envTimerSlack sets the process's timer slack in microseconds (0 keeps the
// slack it was started with: the kernel's 50µs unless its parent changed
// it). A C constructor reads it before Go starts, so it is an environment
// variable only, not a flag or a config file key. Only Linux has a timer
// slack (timerslack_linux.go); elsewhere the variable is checked and ignored.
//
// The slack is how late the kernel may fire a timer. Go's sysmon thread
// sleeps 20µs at a time while goroutines keep entering long cgo calls
// (SQLite), so under write load it woke about 2,700 times a second per node,
// a context switch each: 60% of a node's switches. With 1ms it wakes at most
// about 1,000 times; nothing in Warren waits on a timer shorter than that.
const envTimerSlack = envPrefix + "TIMER_SLACK_US"

// checkTimerSlack reports a WARREN_TIMER_SLACK_US the constructor ignored.
func checkTimerSlack(env map[string]string) error {
	raw := env[envTimerSlack]
	if raw == "" {
		return nil
	}
	if n, err := strconv.Atoi(raw); err != nil || n < 0 || n > 100000 {
		return fmt.Errorf("%s=%q: want microseconds, 0..100000 (0 keeps the slack the process started with)", envTimerSlack, raw)
	}
	return nil
}
