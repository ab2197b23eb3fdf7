package main

import (
	"runtime/debug"
	"testing"
)

func TestTuneGC_DefaultUnlessGOGCIsSet(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	if tuneGC([]string{"GOGC=50", "HOME=/root"}) {
		t.Fatal("tuneGC overrode GOGC from the environment")
	}
	if got := debug.SetGCPercent(100); got != 100 {
		t.Fatalf("GC percent %d after a set GOGC, want it untouched (100)", got)
	}
	if !tuneGC([]string{"HOME=/root"}) {
		t.Fatal("tuneGC did nothing without GOGC")
	}
	if got := debug.SetGCPercent(100); got != defaultGCPercent {
		t.Fatalf("GC percent %d, want %d", got, defaultGCPercent)
	}
}
