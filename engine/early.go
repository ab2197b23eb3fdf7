package engine

import "time"

// Outcomes of two-phase writes can overtake their prepares on the way to a
// participant (they travel on separate lanes). The staging store remembers,
// for a while, commits and aborts of sets not staged yet, so the late
// prepare applies or drops its set at once.

type outcome int

const (
	outcomeNone outcome = iota
	outcomeCommitted
	outcomeAborted
)

type earlyOutcome struct {
	o  outcome
	at time.Time
}

// earlyTTL bounds how long an early outcome waits for its prepare; after
// that the staged-set recovery rule resolves the set from its origin.
const earlyTTL = time.Minute
