package timerslack

/*
#include <stdlib.h>
#include <sys/prctl.h>

// Before the Go runtime starts its threads, which inherit it, set this
// process's timer slack: WARREN_TIMER_SLACK_US microseconds, 1000 when unset.
// A value that does not parse is left for Check to report.
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
	"time"

	"golang.org/x/sys/unix"
)

// Current returns the calling thread's timer slack.
func Current() time.Duration {
	ns, err := unix.PrctlRetInt(unix.PR_GET_TIMERSLACK, 0, 0, 0, 0)
	if err != nil {
		return 0
	}
	return time.Duration(ns)
}
