package engine

import "time"

// Outcomes of two-phase writes can overtake their prepares on the way to a
// participant (they travel on separate lanes). earlyOutcomes remembers, for
// a while, commits and aborts of sets not staged yet, so the late prepare
// applies or drops its set at once. It is owned by the writer goroutine.
type earlyOutcomes struct {
	m map[SetID]earlyOutcome
}

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

func (e *earlyOutcomes) put(id SetID, o outcome) {
	if e.m == nil {
		e.m = map[SetID]earlyOutcome{}
	}
	now := time.Now()
	for k, v := range e.m {
		if now.Sub(v.at) > earlyTTL {
			delete(e.m, k)
		}
	}
	e.m[id] = earlyOutcome{o: o, at: now}
}

func (e *earlyOutcomes) take(id SetID) outcome {
	v, ok := e.m[id]
	if !ok {
		return outcomeNone
	}
	delete(e.m, id)
	return v.o
}
