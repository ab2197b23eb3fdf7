//go:build !linux

package main

import "time"

// timerSlack returns 0: only Linux has a timer slack.
func timerSlack() time.Duration { return 0 }
