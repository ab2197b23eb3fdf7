package main

/*
#include <stdlib.h>
#include <sys/prctl.h>

// Before the Go runtime starts its threads, which inherit it, set this
// process's timer slack: WARREN_TIMER_SLACK_US microseconds, 1000 when unset.
// A value that does not parse is left for checkTimerSlack to report.
__attribute__((constructor)) static void warren_set_timer_slack(void) {
	long us = 1000;
	const char *v = getenv("WARREN_TIMER_SLACK_US");
	if (v != NULL && *v != '\0') {
		char *end;
		us = strtol(v, &end, 10);
		if (*end != '\0' || us < 0 || us > 100000) {
			return;
		}
	}
	if (us > 0) {
		prctl(PR_SET_TIMERSLACK, (unsigned long)us * 1000UL, 0UL, 0UL, 0UL);
	}
}
*/
import "C"

import (
	"fmt"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// envTimerSlack sets the process's timer slack in microseconds (0 keeps the
// slack it was started with: the kernel's 50µs unless its parent changed
// it). A C constructor reads it before Go starts, so it is an environment
// variable only, not a flag or a config file key.
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

// timerSlack returns the calling thread's timer slack.
func timerSlack() time.Duration {
	ns, err := unix.PrctlRetInt(unix.PR_GET_TIMERSLACK, 0, 0, 0, 0)
	if err != nil {
		return 0
	}
	return time.Duration(ns)
}
