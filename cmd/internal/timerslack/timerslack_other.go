//go:build !linux

package timerslack

import "time"

// Current returns 0: only Linux has a timer slack.
func Current() time.Duration { return 0 }
