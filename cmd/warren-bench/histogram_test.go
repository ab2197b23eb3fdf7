package main

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// exactPercentile is the nearest-rank percentile of sorted samples.
func exactPercentile(sorted []time.Duration, q float64) time.Duration {
	rank := int(math.Ceil(q / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

func TestHistogram_Empty(t *testing.T) {
	h := NewHistogram()
	if h.Count() != 0 || h.Percentile(50) != 0 || h.Max() != 0 || h.Mean() != 0 || h.Min() != 0 {
		t.Fatalf("empty histogram: count %d p50 %v max %v mean %v", h.Count(), h.Percentile(50), h.Max(), h.Mean())
	}
}

func TestHistogram_SmallValuesAreExact(t *testing.T) {
	h := NewHistogram()
	for v := 1; v <= 100; v++ {
		h.Record(time.Duration(v))
	}
	for _, tc := range []struct {
		q    float64
		want time.Duration
	}{{0, 1}, {1, 1}, {50, 50}, {90, 90}, {99, 99}, {99.5, 100}, {100, 100}} {
		if got := h.Percentile(tc.q); got != tc.want {
			t.Errorf("p%g = %v, want %v", tc.q, got, tc.want)
		}
	}
	if h.Min() != 1 || h.Max() != 100 || h.Count() != 100 {
		t.Errorf("min %v max %v count %d", h.Min(), h.Max(), h.Count())
	}
	if h.Mean() != 50 { // 50.5 truncated to whole nanoseconds
		t.Errorf("mean = %v, want 50ns", h.Mean())
	}
}

func TestHistogram_SingleValue(t *testing.T) {
	h := NewHistogram()
	h.Record(1234567 * time.Nanosecond)
	for _, q := range []float64{0, 50, 99, 100} {
		if got := h.Percentile(q); got != 1234567 {
			t.Errorf("p%g = %v, want the only value 1.234567ms", q, got)
		}
	}
}

func TestHistogram_NegativeCountsAsZero(t *testing.T) {
	h := NewHistogram()
	h.Record(-5)
	if h.Max() != 0 || h.Percentile(100) != 0 || h.Count() != 1 {
		t.Fatalf("negative: max %v p100 %v count %d", h.Max(), h.Percentile(100), h.Count())
	}
}

// TestHistogram_MatchesExactPercentiles checks every reported percentile is
// the exact nearest-rank value rounded up by less than 1/128.
func TestHistogram_MatchesExactPercentiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for _, tc := range []struct {
		name string
		draw func() time.Duration
	}{
		{"lognormal", func() time.Duration {
			return time.Duration(math.Exp(rng.NormFloat64()*1.5) * float64(time.Millisecond))
		}},
		{"uniform", func() time.Duration { return time.Duration(rng.Int64N(int64(50 * time.Millisecond))) }},
		{"bimodal", func() time.Duration {
			if rng.IntN(100) < 95 {
				return 200*time.Microsecond + time.Duration(rng.IntN(50000))
			}
			return 2*time.Second + time.Duration(rng.IntN(1e8))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := NewHistogram()
			samples := make([]time.Duration, 20000)
			for i := range samples {
				samples[i] = tc.draw()
				h.Record(samples[i])
			}
			slices.Sort(samples)
			for _, q := range []float64{0.1, 1, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100} {
				exact := exactPercentile(samples, q)
				got := h.Percentile(q)
				if got < exact || float64(got-exact) > float64(exact)/subBuckets {
					t.Errorf("p%g = %v, exact %v: outside [exact, exact*(1+1/128)]", q, got, exact)
				}
			}
			if h.Max() != samples[len(samples)-1] || h.Min() != samples[0] {
				t.Errorf("min/max %v/%v, want %v/%v", h.Min(), h.Max(), samples[0], samples[len(samples)-1])
			}
		})
	}
}

func TestHistogram_Merge(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	all, a, b := NewHistogram(), NewHistogram(), NewHistogram()
	for i := range 5000 {
		d := time.Duration(rng.Int64N(int64(time.Second)))
		if i%3 == 0 {
			d *= 10 // b sees larger values so its bucket slice is longer
			b.Record(d)
		} else {
			a.Record(d)
		}
		all.Record(d)
	}
	merged := NewHistogram()
	merged.Merge(a)
	merged.Merge(NewHistogram())
	merged.Merge(b)
	if merged.Count() != all.Count() || merged.Max() != all.Max() || merged.Min() != all.Min() || merged.Mean() != all.Mean() {
		t.Fatalf("merged count/min/max/mean %d/%v/%v/%v, want %d/%v/%v/%v", merged.Count(), merged.Min(),
			merged.Max(), merged.Mean(), all.Count(), all.Min(), all.Max(), all.Mean())
	}
	for _, q := range []float64{1, 50, 90, 99, 100} {
		if merged.Percentile(q) != all.Percentile(q) {
			t.Errorf("p%g merged %v, direct %v", q, merged.Percentile(q), all.Percentile(q))
		}
	}
}

func TestBucketIndex_Bounds(t *testing.T) {
	// Every value lies in its bucket, buckets are contiguous and ordered.
	prevHigh := int64(-1)
	for i := range 40 * subBuckets {
		high := bucketHigh(i)
		if high <= prevHigh {
			t.Fatalf("bucket %d high %d not above previous %d", i, high, prevHigh)
		}
		if bucketIndex(prevHigh+1) != i || bucketIndex(high) != i {
			t.Fatalf("bucket %d: low %d -> %d, high %d -> %d", i, prevHigh+1, bucketIndex(prevHigh+1), high, bucketIndex(high))
		}
		prevHigh = high
	}
	if got := bucketHigh(bucketIndex(math.MaxInt64)); got != math.MaxInt64 {
		t.Fatalf("top bucket high = %d", got)
	}
}
