package replication

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
)

// resolveSeeds turns seeds (host:port, host, IP literals, DNS names) into
// ip:port addresses. A name yields every address the resolver returns; a
// seed without a port gets DefaultGossipPort. Seeds that fail to resolve are
// reported in the error, which is nil when every seed resolved; the
// addresses that did resolve are returned either way.
func resolveSeeds(ctx context.Context, resolve func(context.Context, string) ([]string, error), seeds []string) ([]string, error) {
	var addrs []string
	var errs []error
	seen := make(map[string]bool)
	for _, seed := range seeds {
		found, err := resolveSeed(ctx, resolve, seed)
		if err != nil {
			errs = append(errs, err)
		}
		for _, a := range found {
			if !seen[a] {
				seen[a] = true
				addrs = append(addrs, a)
			}
		}
	}
	return addrs, errors.Join(errs...)
}

// resolveSeed resolves one seed to ip:port addresses.
func resolveSeed(ctx context.Context, resolve func(context.Context, string) ([]string, error), seed string) ([]string, error) {
	host, port, err := splitHostPortDefault(seed, DefaultGossipPort)
	if err != nil {
		return nil, fmt.Errorf("parse seed %q: %w", seed, err)
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		return []string{joinAddrPort(ip, port)}, nil
	}
	answers, err := resolve(ctx, host)
	if err != nil {
		return nil, fmt.Errorf("resolve seed %q: %w", host, err)
	}
	var out []string
	for _, a := range answers {
		ip, err := netip.ParseAddr(a)
		if err != nil {
			return nil, fmt.Errorf("resolve seed %q: bad address %q", host, a)
		}
		out = append(out, joinAddrPort(ip, port))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("resolve seed %q: no addresses", host)
	}
	return out, nil
}

func joinAddrPort(ip netip.Addr, port int) string {
	return net.JoinHostPort(ip.Unmap().WithZone("").String(), strconv.Itoa(port))
}

// sameAddr reports whether two host:port strings name the same IP and port.
func sameAddr(a, b string) bool {
	pa, errA := netip.ParseAddrPort(a)
	pb, errB := netip.ParseAddrPort(b)
	if errA != nil || errB != nil {
		return a == b
	}
	return pa.Addr().Unmap() == pb.Addr().Unmap() && pa.Port() == pb.Port()
}
