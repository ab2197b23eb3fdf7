package main

import "time"

// maxErrorSamples is the number of distinct error messages kept.
const maxErrorSamples = 5

// maxErrorLen truncates kept error messages.
const maxErrorLen = 300

// ErrorSample is one distinct error message and how often it occurred.
type ErrorSample struct {
	Message string `json:"message"`
	Count   int64  `json:"count"`
}

// errorLog keeps the first maxErrorSamples distinct error messages.
type errorLog struct {
	samples []ErrorSample
}

// add counts one occurrence of msg.
func (l *errorLog) add(msg string, n int64) {
	if len(msg) > maxErrorLen {
		msg = msg[:maxErrorLen] + "…"
	}
	for i := range l.samples {
		if l.samples[i].Message == msg {
			l.samples[i].Count += n
			return
		}
	}
	if len(l.samples) < maxErrorSamples {
		l.samples = append(l.samples, ErrorSample{Message: msg, Count: n})
	}
}

// merge adds the samples of o.
func (l *errorLog) merge(o errorLog) {
	for _, s := range o.samples {
		l.add(s.Message, s.Count)
	}
}

// stats are the measurements of one client, or of all clients merged.
type stats struct {
	ok        int64
	errors    int64
	written   int64
	latency   *Histogram
	errs      errorLog
	lag       *Histogram
	lagErrors int64
	lagErrs   errorLog
	// last is the completion time of the last counted operation.
	last time.Time
}

func newStats() *stats {
	return &stats{latency: NewHistogram(), lag: NewHistogram()}
}

// success records a counted successful operation.
func (s *stats) success(latency time.Duration, out outcome, done time.Time) {
	s.ok++
	s.written += int64(out.written)
	s.latency.Record(latency)
	s.last = done
}

// failure records a counted failed operation.
func (s *stats) failure(err error, done time.Time) {
	s.errors++
	s.errs.add(err.Error(), 1)
	s.last = done
}

// lagResult records one lag measurement.
func (s *stats) lagResult(d time.Duration, err error) {
	if err != nil {
		s.lagErrors++
		s.lagErrs.add(err.Error(), 1)
		return
	}
	s.lag.Record(d)
}

// merge adds the measurements of o.
func (s *stats) merge(o *stats) {
	s.ok += o.ok
	s.errors += o.errors
	s.written += o.written
	s.latency.Merge(o.latency)
	s.errs.merge(o.errs)
	s.lag.Merge(o.lag)
	s.lagErrors += o.lagErrors
	s.lagErrs.merge(o.lagErrs)
	if o.last.After(s.last) {
		s.last = o.last
	}
}
