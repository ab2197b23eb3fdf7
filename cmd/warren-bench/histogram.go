package main

import (
	"math"
	"math/bits"
	"time"
)

// subBucketBits sets the histogram precision: each power-of-two range of
// values is split into 2^subBucketBits linear sub-buckets, so a recorded
// value is known to within 1/128 (< 0.8%) of itself.
const subBucketBits = 7

const subBuckets = 1 << subBucketBits

// Histogram is an HDR-style, log-bucketed latency histogram. Values below
// 2*128 ns are stored exactly; larger ones with a relative error below 1/128.
// Min, max, count and sum are exact. A Histogram is not safe for concurrent
// use: give each goroutine its own and Merge them.
type Histogram struct {
	counts []uint64
	count  uint64
	sum    float64
	min    int64
	max    int64
}

// NewHistogram returns an empty histogram.
func NewHistogram() *Histogram {
	return &Histogram{counts: make([]uint64, 0, 32*subBuckets)}
}

// Record adds one observation; negative durations count as zero.
func (h *Histogram) Record(d time.Duration) {
	v := max(int64(d), 0)
	i := bucketIndex(v)
	if i >= len(h.counts) {
		h.counts = append(h.counts, make([]uint64, i+1-len(h.counts))...)
	}
	h.counts[i]++
	if h.count == 0 || v < h.min {
		h.min = v
	}
	if v > h.max {
		h.max = v
	}
	h.count++
	h.sum += float64(v)
}

// Merge adds every observation of o to h.
func (h *Histogram) Merge(o *Histogram) {
	if o.count == 0 {
		return
	}
	if len(o.counts) > len(h.counts) {
		h.counts = append(h.counts, make([]uint64, len(o.counts)-len(h.counts))...)
	}
	for i, c := range o.counts {
		h.counts[i] += c
	}
	if h.count == 0 || o.min < h.min {
		h.min = o.min
	}
	h.max = max(h.max, o.max)
	h.count += o.count
	h.sum += o.sum
}

// Count reports the number of observations.
func (h *Histogram) Count() uint64 { return h.count }

// Min reports the smallest observation, or 0 when empty.
func (h *Histogram) Min() time.Duration { return time.Duration(h.min) }

// Max reports the largest observation, or 0 when empty.
func (h *Histogram) Max() time.Duration { return time.Duration(h.max) }

// Mean reports the arithmetic mean, or 0 when empty.
func (h *Histogram) Mean() time.Duration {
	if h.count == 0 {
		return 0
	}
	return time.Duration(h.sum / float64(h.count))
}

// Percentile reports the nearest-rank q-th percentile (q in [0, 100]): the
// smallest recorded value v such that at least q% of observations are <= v,
// rounded up to the top of its bucket (never above Max). It returns 0 when
// the histogram is empty.
func (h *Histogram) Percentile(q float64) time.Duration {
	if h.count == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q / 100 * float64(h.count)))
	rank = min(max(rank, 1), h.count)
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return time.Duration(min(bucketHigh(i), h.max))
		}
	}
	return time.Duration(h.max)
}

// bucketIndex maps a non-negative value to its bucket. Values below
// 2*subBuckets map to themselves; above, each power of two [m<<e, 2m<<e)
// with m = subBuckets holds subBuckets buckets of width 1<<e.
func bucketIndex(v int64) int {
	e := max(bits.Len64(uint64(v))-subBucketBits-1, 0)
	return e*subBuckets + int(v>>e)
}

// bucketHigh reports the largest value that maps to bucket i.
func bucketHigh(i int) int64 {
	if i < 2*subBuckets {
		return int64(i)
	}
	e := i/subBuckets - 1
	m := int64(i - e*subBuckets)
	return (m+1)<<e - 1
}
