package main

import (
	"context"
	"fmt"
	"net"
	"slices"
	"time"

	"github.com/warren-db/warren/api"
	"github.com/warren-db/warren/replication"
)

// clustered reports whether this node joins or forms a cluster: that needs
// the cluster secret (or the peer CA files) so peers can authenticate.
func (c Config) clustered() bool {
	return c.ClusterSecret != "" || c.PeerCAFile != ""
}

// startCluster starts the transport, gossip and replication, joins the
// seeds, and claims an id slot when this node has none yet.
func (m *Main) startCluster(ctx context.Context) error {
	c := m.Config
	tcfg := replication.DefaultTransportConfig()
	tcfg.ListenAddr, tcfg.NodeID, tcfg.Secret = c.QUICAddr, m.engine.NodeID(), c.ClusterSecret.Reveal()
	tcfg.CAFile, tcfg.CertFile, tcfg.KeyFile = c.PeerCAFile, c.PeerCertFile, c.PeerKeyFile
	tcfg.Logger = m.component("transport")
	var err error
	if m.transport, err = replication.NewTransport(tcfg); err != nil {
		return fmt.Errorf("start quic transport: %w", err)
	}
	slot, _ := m.engine.Slot()
	meta := replication.Meta{NodeID: m.engine.NodeID(), Slot: slot, Region: c.Region, Role: replication.RoleVoter,
		QUICAddr: advertised(m.transport.Addr()), HTTPAddr: advertised(m.HTTPAddr()), MySQLAddr: c.MySQLAddr, Version: version}
	seeds, rejoining, err := m.seeds()
	if err != nil {
		return err
	}
	if m.membership, err = replication.NewMembershipContext(ctx, replication.MembershipConfig{BindAddr: c.GossipAddr, Join: seeds,
		JoinInBackground: rejoining, Secret: c.ClusterSecret.Reveal(), Meta: meta, Logger: m.component("gossip")}); err != nil {
		return fmt.Errorf("start gossip: %w", err)
	}
	if m.node, err = replication.NewNode(m.nodeConfig()); err != nil {
		return fmt.Errorf("start replication: %w", err)
	}
	m.node.Start()
	if _, stored := m.engine.Slot(); !stored && len(c.Join) > 0 {
		if err := m.node.ClaimSlot(ctx, m.engine.Stride()); err != nil {
			return fmt.Errorf("claim id slot: %w", err)
		}
	}
	slot, _ = m.engine.Slot()
	m.Logger.Info("cluster started", "gossip_addr", m.membership.GossipAddr(), "quic_addr", m.transport.Addr(),
		"id_slot", slot, "members", len(m.membership.Members()))
	return nil
}

// seeds are the configured join addresses plus the members this node
// remembers, so a restarted node finds its cluster even without --join.
// A node that was in a cluster before (rejoining) starts even while its
// peers are down and joins them in the background; a new node fails to
// start when no seed answers.
func (m *Main) seeds() (seeds []string, rejoining bool, err error) {
	known, err := replication.LoadKnownMembers(m.Config.DataDir)
	if err != nil {
		return nil, false, err
	}
	seeds = append(seeds, m.Config.Join...)
	for _, k := range known {
		if k.NodeID != m.engine.NodeID() && k.GossipAddr != "" && !slices.Contains(seeds, k.GossipAddr) {
			seeds = append(seeds, k.GossipAddr)
			rejoining = true
		}
	}
	return seeds, rejoining, nil
}

func (m *Main) nodeConfig() replication.NodeConfig {
	c := m.Config
	ncfg := replication.DefaultNodeConfig()
	ncfg.Engine, ncfg.Transport, ncfg.Membership, ncfg.DataDir = m.engine, m.transport, m.membership, c.DataDir
	ncfg.AntiEntropyInterval, ncfg.SchemaLease, ncfg.GCInterval = c.AntiEntropyInterval, c.SchemaLease, c.GCInterval
	ncfg.DeltaSyncThreshold = time.Duration(c.DeltaSyncThresholdSeconds) * time.Second
	ncfg.GCMinRetention = time.Duration(c.GCMinRetentionHours * float64(time.Hour))
	ncfg.GCMaxRetention = time.Duration(c.GCMaxRetentionHours * float64(time.Hour))
	ncfg.ResolveAfter = max(3*c.PrepareTimeout, ncfg.ResolveAfter)
	ncfg.Filters = map[string]*replication.TableFilter{}
	for db, r := range c.Replicate {
		ncfg.Filters[db] = &replication.TableFilter{Include: r.Include, Exclude: r.Exclude}
	}
	ncfg.Logger = m.component("replication")
	return ncfg
}

// advertised turns a wildcard listen address into one peers can dial.
func advertised(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || (host != "" && host != "0.0.0.0" && host != "::") {
		return addr
	}
	return net.JoinHostPort(outboundIP(), port)
}

// outboundIP picks this host's first non-loopback address for peers, or
// loopback when it has none.
func outboundIP() string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return "127.0.0.1"
	}
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && !ipn.IP.IsLoopback() && ipn.IP.To4() != nil {
			return ipn.IP.String()
		}
	}
	return "127.0.0.1"
}

// stopCluster leaves the cluster gracefully and stops replication.
func (m *Main) stopCluster() {
	if m.node != nil {
		m.node.Close()
	}
	if m.membership != nil {
		if err := m.membership.Leave(2 * time.Second); err != nil {
			m.Logger.Warn("leave cluster", "err", err)
		}
		m.membership.Close()
	}
	if m.transport != nil {
		m.transport.Close()
	}
}

// clusterView adapts the replication node to the HTTP API's Cluster.
type clusterView struct{ n *replication.Node }

func (v clusterView) NodeID() string { return v.n.NodeID() }

func (v clusterView) Members() []api.Member {
	ms := v.n.Members()
	out := make([]api.Member, 0, len(ms))
	for _, m := range ms {
		am := api.Member{NodeID: m.NodeID, State: m.State.String(), Region: m.Region, Role: m.Role, Slot: m.Slot,
			Version: m.Version, HTTPAddr: m.HTTPAddr, MySQLAddr: m.MySQLAddr, QUICAddr: m.QUICAddr, GossipAddr: m.GossipAddr}
		if !m.LastSeen.IsZero() {
			seen := m.LastSeen
			am.LastSeen = &seen
		}
		if len(m.Databases) > 0 {
			am.Databases = map[string]api.MemberDatabase{}
			for db, d := range m.Databases {
				am.Databases[db] = api.MemberDatabase{Vector: d.Vector, SchemaVersion: d.SchemaVersion, Lag: d.Lag}
			}
		}
		out = append(out, am)
	}
	return out
}

func (v clusterView) RemoveMember(nodeID string) error { return v.n.RemoveMember(nodeID) }
