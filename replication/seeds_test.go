package replication

import (
	"context"
	"errors"
	"slices"
	"testing"
)

func TestResolveSeeds(t *testing.T) {
	resolver := func(_ context.Context, host string) ([]string, error) {
		switch host {
		case "two.internal":
			return []string{"10.0.0.1", "fdaa::2"}, nil
		case "one.internal":
			return []string{"10.0.0.1"}, nil
		}
		return nil, errors.New("no such host")
	}
	tests := []struct {
		name    string
		seeds   []string
		want    []string
		wantErr bool
	}{
		{"ip and port", []string{"127.0.0.1:7000"}, []string{"127.0.0.1:7000"}, false},
		{"ip without port", []string{"127.0.0.1"}, []string{"127.0.0.1:7946"}, false},
		{"ipv6 literal", []string{"[::1]:7000", "fdaa::9"}, []string{"[::1]:7000", "[fdaa::9]:7946"}, false},
		{"name: every answer, default port", []string{"two.internal"}, []string{"10.0.0.1:7946", "[fdaa::2]:7946"}, false},
		{"name with port", []string{"two.internal:9000"}, []string{"10.0.0.1:9000", "[fdaa::2]:9000"}, false},
		{"duplicates removed", []string{"one.internal", "two.internal"}, []string{"10.0.0.1:7946", "[fdaa::2]:7946"}, false},
		{"unresolvable name kept apart", []string{"nope.internal", "one.internal"}, []string{"10.0.0.1:7946"}, true},
		{"bad port", []string{"127.0.0.1:http"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := resolveSeeds(context.Background(), resolver, tt.seeds)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error %v, want error %v", err, tt.wantErr)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSameAddr(t *testing.T) {
	if !sameAddr("127.0.0.1:7946", "[::ffff:127.0.0.1]:7946") {
		t.Error("IPv4 and IPv4-mapped IPv6 of the same address differ")
	}
	if sameAddr("127.0.0.1:7946", "127.0.0.1:7947") {
		t.Error("different ports compare equal")
	}
}
