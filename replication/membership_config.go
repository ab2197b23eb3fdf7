package replication

import (
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/memberlist"
)

// DefaultGossipPort is the gossip port used for seeds and bind addresses given without one.
const DefaultGossipPort = 7946

// gossipKeyInfo is the HKDF info string that derives the gossip key from the cluster secret.
const gossipKeyInfo = "warren gossip v1"

// Membership defaults (documented on the MembershipConfig fields).
const (
	defaultJoinTimeout     = 30 * time.Second
	defaultRejoinInterval  = 30 * time.Second
	defaultDeadReapTimeout = 72 * time.Hour
	defaultLeftRetention   = 24 * time.Hour
	defaultEventBuffer     = 256
	defaultBroadcastWait   = 5 * time.Second
)

// MembershipConfig configures NewMembership. Zero values take the defaults
// documented per field.
type MembershipConfig struct {
	// BindAddr is the gossip host:port, bound for both TCP and UDP. Port 0
	// picks a free port (read it back with GossipAddr). Default "0.0.0.0:7946".
	BindAddr string
	// AdvertiseAddr is the host or host:port other nodes use to reach this
	// one. Default: the bind address (or a private IP when bound to 0.0.0.0).
	AdvertiseAddr string
	// Join lists seeds: host:port or DNS names; every A/AAAA answer is a seed
	// and a seed without a port gets DefaultGossipPort. This node's own
	// address is skipped. Empty for the first node of a cluster.
	Join []string
	// Secret is the cluster secret. The gossip key is
	// HKDF-SHA256(secret, salt none, info "warren gossip v1"), 32 bytes (AES-256-GCM).
	// Required when Join is set. Empty means unencrypted gossip, fit only for
	// a lone node.
	Secret string
	// Meta is what this node advertises. Meta.NodeID is the gossip node name.
	Meta Meta
	// Fast shrinks every timer for in-process tests on loopback.
	Fast bool
	// WAN uses memberlist's WAN timers (slower probes, longer timeouts) for
	// clusters spread over regions. Ignored when Fast is set.
	WAN bool
	// Logger receives membership and memberlist logs. Default slog.Default().
	Logger *slog.Logger
	// Resolver resolves seed host names to addresses. Default net.DefaultResolver.LookupHost.
	Resolver func(ctx context.Context, host string) ([]string, error)
	// JoinInBackground starts the node even when no seed answers, joining
	// them in the background (every RejoinInterval): for a node that was in
	// a cluster before and must be able to start while its peers are down.
	JoinInBackground bool
	// JoinTimeout bounds how long joining retries while no seed answers.
	// Default 30 s (3 s with Fast).
	JoinTimeout time.Duration
	// RejoinInterval is how often seeds are resolved again and joined when
	// they are not live members, which heals clusters that started apart or
	// were partitioned for longer than memberlist remembers. Default 30 s
	// (1 s with Fast); negative disables it.
	RejoinInterval time.Duration
	// DeadReapTimeout is how long a dead member stays listed (and counts
	// toward quorum) before it is forgotten. Default 72 h.
	DeadReapTimeout time.Duration
	// LeftRetention is how long a member that left gracefully stays listed
	// with state Left. Default 24 h.
	LeftRetention time.Duration
	// EventBuffer is the capacity of the Events channel. Default 256.
	EventBuffer int
	// BroadcastTimeout bounds how long UpdateMeta waits for its broadcast.
	// Default 5 s.
	BroadcastTimeout time.Duration
}

// withDefaults returns the config with every zero value replaced by its default.
func (c MembershipConfig) withDefaults() MembershipConfig {
	c.Meta = c.Meta.normalized()
	if c.BindAddr == "" {
		c.BindAddr = net.JoinHostPort("0.0.0.0", strconv.Itoa(DefaultGossipPort))
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Resolver == nil {
		c.Resolver = net.DefaultResolver.LookupHost
	}
	c.JoinTimeout = orDefault(c.JoinTimeout, defaultJoinTimeout, 3*time.Second, c.Fast)
	c.RejoinInterval = orDefault(c.RejoinInterval, defaultRejoinInterval, time.Second, c.Fast)
	c.DeadReapTimeout = orDefault(c.DeadReapTimeout, defaultDeadReapTimeout, defaultDeadReapTimeout, false)
	c.LeftRetention = orDefault(c.LeftRetention, defaultLeftRetention, defaultLeftRetention, false)
	c.BroadcastTimeout = orDefault(c.BroadcastTimeout, defaultBroadcastWait, defaultBroadcastWait, false)
	if c.EventBuffer <= 0 {
		c.EventBuffer = defaultEventBuffer
	}
	return c
}

// orDefault returns v, or its default when v is zero.
func orDefault(v, normal, fast time.Duration, isFast bool) time.Duration {
	switch {
	case v != 0:
		return v
	case isFast:
		return fast
	default:
		return normal
	}
}

// validate rejects configs NewMembership cannot run.
func (c MembershipConfig) validate() error {
	if err := c.Meta.validate(); err != nil {
		return fmt.Errorf("validate membership config: %w", err)
	}
	if len(c.Join) > 0 && c.Secret == "" {
		return errors.New("validate membership config: joining a cluster requires a cluster secret")
	}
	if c.JoinTimeout < 0 || c.DeadReapTimeout < 0 || c.LeftRetention < 0 || c.BroadcastTimeout < 0 {
		return errors.New("validate membership config: timeouts must not be negative")
	}
	return nil
}

// gossipKey derives the 32-byte gossip encryption key from the cluster secret.
func gossipKey(secret string) ([]byte, error) {
	key, err := hkdf.Key(sha256.New, []byte(secret), nil, gossipKeyInfo, 32)
	if err != nil {
		return nil, fmt.Errorf("derive gossip key: %w", err)
	}
	return key, nil
}

// memberlistConfig translates c into a memberlist config without delegates.
func (c MembershipConfig) memberlistConfig() (*memberlist.Config, error) {
	mc := baseMemberlistConfig(c.Fast, c.WAN)
	mc.Name = c.Meta.NodeID
	host, port, err := splitHostPortDefault(c.BindAddr, DefaultGossipPort)
	if err != nil {
		return nil, fmt.Errorf("parse bind address: %w", err)
	}
	if host == "" {
		host = "0.0.0.0"
	}
	mc.BindAddr, mc.BindPort, mc.AdvertisePort = host, port, port
	if c.AdvertiseAddr != "" {
		host, port, err := splitHostPortDefault(c.AdvertiseAddr, mc.BindPort)
		if err != nil {
			return nil, fmt.Errorf("parse advertise address: %w", err)
		}
		mc.AdvertiseAddr, mc.AdvertisePort = host, port
	}
	if c.Secret != "" {
		key, err := gossipKey(c.Secret)
		if err != nil {
			return nil, err
		}
		if mc.Keyring, err = memberlist.NewKeyring(nil, key); err != nil {
			return nil, fmt.Errorf("create gossip keyring: %w", err)
		}
	}
	mc.Logger = newMemberlistLogger(c.Logger)
	return mc, nil
}

// baseMemberlistConfig picks memberlist's timers. A dead node's name may be
// taken over at once by a new address: live duplicates are refused by the
// merge delegate instead.
func baseMemberlistConfig(fast, wan bool) *memberlist.Config {
	var mc *memberlist.Config
	switch {
	case fast:
		mc = memberlist.DefaultLocalConfig()
		mc.TCPTimeout = 500 * time.Millisecond
		mc.ProbeInterval = 150 * time.Millisecond
		mc.ProbeTimeout = 75 * time.Millisecond
		mc.SuspicionMult = 6 // dead about 1 s after suspect, leaving Suspect visible
		mc.SuspicionMaxTimeoutMult = 4
		mc.GossipInterval = 20 * time.Millisecond
		mc.PushPullInterval = time.Second
		mc.GossipToTheDeadTime = 3 * time.Second
	case wan:
		mc = memberlist.DefaultWANConfig()
	default:
		mc = memberlist.DefaultLANConfig()
	}
	mc.DeadNodeReclaimTime = time.Nanosecond
	mc.DelegateProtocolVersion = stateFormat
	mc.DelegateProtocolMin = stateFormat
	mc.DelegateProtocolMax = stateFormat
	return mc
}

// splitHostPortDefault splits "host:port", "host", "v6" or "[v6]" into host
// and port, using defPort when the port is missing.
func splitHostPortDefault(addr string, defPort int) (string, int, error) {
	if ip := net.ParseIP(trimBrackets(addr)); ip != nil {
		return ip.String(), defPort, nil
	}
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		if addr == "" || strings.ContainsAny(addr, ":[]") {
			return "", 0, err
		}
		return addr, defPort, nil
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || port < 0 || port > 65535 {
		return "", 0, fmt.Errorf("address %q: bad port %q", addr, portStr)
	}
	return host, port, nil
}

func trimBrackets(host string) string {
	if len(host) >= 2 && host[0] == '[' && host[len(host)-1] == ']' {
		return host[1 : len(host)-1]
	}
	return host
}
