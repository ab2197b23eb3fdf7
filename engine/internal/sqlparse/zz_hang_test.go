package sqlparse

import (
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestZZHang(t *testing.T) {
	var corpus []string
	files, _ := filepath.Glob(os.Getenv("HOME") + "/.cache/go-build/fuzz/github.com/warren-db/warren/engine/internal/sqlparse/FuzzAnalyze/*")
	for _, f := range files {
		b, _ := os.ReadFile(f)
		lines := strings.Split(string(b), "\n")
		if len(lines) > 1 {
			l := strings.TrimSuffix(strings.TrimPrefix(lines[1], "string("), ")")
			if s, err := strconv.Unquote(l); err == nil {
				corpus = append(corpus, s)
			}
		}
	}
	corpus = append(corpus, fuzzSeeds...)
	t.Logf("corpus %d", len(corpus))
	check := func(s string) {
		done := make(chan struct{})
		go func() { Analyze(s); Split(s); close(done) }()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			t.Fatalf("hang: %q", s)
		}
	}
	for _, s := range corpus {
		check(s)
	}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 300000; i++ {
		a := []byte(corpus[r.Intn(len(corpus))])
		b := corpus[r.Intn(len(corpus))]
		for k := 0; k < 1+r.Intn(4); k++ {
			switch r.Intn(4) {
			case 0:
				if len(a) > 0 {
					a = append(a[:r.Intn(len(a))], a[r.Intn(len(a)):]...)
				}
			case 1:
				p := r.Intn(len(a) + 1)
				a = append(a[:p:p], append([]byte(b), a[p:]...)...)
			case 2:
				if len(a) > 0 {
					a[r.Intn(len(a))] = byte(r.Intn(128))
				}
			case 3:
				if len(b) > 0 {
					x := r.Intn(len(b))
					y := x + r.Intn(len(b)-x)
					p := r.Intn(len(a) + 1)
					a = append(a[:p:p], append([]byte(b[x:y]), a[p:]...)...)
				}
			}
		}
		check(string(a))
	}
}
